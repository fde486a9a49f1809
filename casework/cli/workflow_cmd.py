"""`casework workflow diagram|actions`."""

from __future__ import annotations

import typer

from casework.cli.common import console
from workflows.actions import ACTIONS
from workflows.diagram import mermaid

app = typer.Typer(no_args_is_help=True)


@app.command("diagram", help="以 Mermaid 格式输出状态图")
def diagram() -> None:
    typer.echo(mermaid(), nl=False)


@app.command("actions", help="列出全部操作、权限和字段")
def actions() -> None:
    for spec in ACTIONS:
        roles = "、".join(sorted(r.label for r in spec.roles)) or "系统"
        fields = "、".join(spec.payload.model_fields) or "无"
        console.print(f"{spec.name}（{spec.label}）  权限：{roles}  字段：{fields}")
