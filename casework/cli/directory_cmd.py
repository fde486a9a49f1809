"""`casework agency add|list|rename|merge|set` and
`casework user add|passwd|disable|enable|grant|revoke|list`."""

from __future__ import annotations

import sys

import typer
from sqlmodel import col, select

from casework.cli.common import console, fail, parse_date, reading, settings, today, writing
from casework.models import Agency, User, UserRole
from casework.services import agency_policy, auth, directory
from casework.timeutil import utcnow
from workflows.roles import Role

agency_app = typer.Typer(no_args_is_help=True)
user_app = typer.Typer(no_args_is_help=True)
# from the enum, so a new role is listed as soon as it exists
ROLE_CHOICES = " | ".join(f"{r.value}（{r.label}）" for r in Role)


@agency_app.command("add", help="新增机关")
def agency_add(
    code: str = typer.Argument(...),
    name: str = typer.Argument(...),
    parent: str | None = typer.Option(None, "--parent", help="上级机关代码"),
    signoff: bool = typer.Option(False, "--signoff", help="答复须经负责人审核签发"),
    district: bool = typer.Option(
        False, "--district", help="政务公开办：可查看下级机关的案件（个人信息脱敏，只读）"
    ),
) -> None:
    with writing() as session:
        agency = directory.ensure_agency(session, code, name, parent)
        agency.signoff_required = signoff
        if district:
            directory.place_agency(session, agency, supervises_subtree=True)
        session.add(agency)
    console.print(f"机关 {code}（{name}）已就绪" + ("，为政务公开办" if district else ""))


@agency_app.command(
    "set",
    help="机关的上级、是否为政务公开办，以及办理政策：审核签发、邮寄宽限、默认补正期限、"
    "重新答复案件是否计入统计、期限提醒",
)
def agency_set(
    code: str = typer.Argument(...),
    parent: str | None = typer.Option(None, "--parent", help="移到该上级机关之下"),
    top_level: bool = typer.Option(False, "--top-level", help="设为顶级机关（没有上级）"),
    district: bool | None = typer.Option(
        None,
        "--district/--no-district",
        help="政务公开办：可查看下级机关的案件（个人信息脱敏，只读）",
    ),
    signoff: bool | None = typer.Option(None, "--signoff/--no-signoff"),
    post_grace_days: int | None = typer.Option(None, "--post-grace-days", min=0, max=30),
    correction_period_wd: int | None = typer.Option(None, "--correction-period-wd", min=1, max=60),
    count_follow_up: bool | None = typer.Option(
        None, "--count-follow-up/--no-count-follow-up", help="责令重新答复的案件计入年度统计"
    ),
    remind_before: str | None = typer.Option(
        None, "--remind-before", help="到期前几个工作日提醒经办人，如“5,2”"
    ),
    remind_at: str | None = typer.Option(
        None, "--remind-at", help="提醒时刻（北京时间），如“09:00”"
    ),
    escalate: bool | None = typer.Option(
        None, "--escalate-overdue/--no-escalate-overdue", help="逾期后每个工作日提醒负责人"
    ),
    webhook: str | None = typer.Option(
        None,
        "--webhook",
        help="群机器人或其他 webhook 地址（企业微信、钉钉、飞书）；空字符串为取消",
    ),
    report_due: str | None = typer.Option(
        None,
        "--report-due",
        help="年度报告截止日（次年“月-日”，如政府本级报告 03-31）；空字符串为恢复默认",
    ),
) -> None:
    with writing() as session:
        agency = directory.agency_by_code(session, code)
        directory.place_agency(
            session, agency, parent=parent, top_level=top_level, supervises_subtree=district
        )
        change = agency_policy.PolicyChange(
            signoff_required=signoff,
            post_grace_days=post_grace_days,
            correction_period_wd=correction_period_wd,
            count_follow_up_cases=count_follow_up,
            remind_before_wd=remind_before,
            remind_at=remind_at,
            escalate_overdue=escalate,
            webhook_url=webhook,
            report_due=report_due,
        )
        agency_policy.apply(session, agency, change)
        above = session.get(Agency, agency.parent_id) if agency.parent_id else None
        summary = (
            f"上级：{above.code if above else '无（顶级机关）'}；"
            f"政务公开办：{'是' if agency.supervises_subtree else '否'}；"
            f"审核签发：{'是' if agency.signoff_required else '否'}；邮寄宽限 {agency.post_grace_days} 日；"
            f"默认补正期限 {agency.correction_period_wd} 个工作日；"
            f"重新答复案件计入统计：{'是' if agency.count_follow_up_cases else '否'}；"
            f"提前 {agency.remind_before_wd} 个工作日及到期日 {agency.remind_at} 提醒；"
            f"逾期提醒负责人：{'是' if agency.escalate_overdue else '否'}；"
            f"webhook：{agency.webhook_url or '无'}；"
            f"年度报告截止日：次年 {agency.report_due or settings().report_due_default}"
            + ("" if agency.report_due else "（默认）")
        )
    console.print(f"机关 {code}：{summary}")


@agency_app.command("list", help="列出机关")
def agency_list() -> None:
    with reading() as session:
        for a in session.exec(select(Agency).order_by(col(Agency.code))).all():
            parent = session.get(Agency, a.parent_id) if a.parent_id else None
            console.print(
                f"{a.code}  {a.name}"
                + (f"  上级：{parent.code}" if parent else "")
                + ("  政务公开办" if a.supervises_subtree else "")
                + ("" if a.active else "  已撤并")
            )


@agency_app.command("rename", help="机关更名（保留历史名称）")
def agency_rename(
    code: str = typer.Argument(...),
    new_name: str = typer.Argument(...),
    on: str | None = typer.Option(None, "--on"),
) -> None:
    with writing() as session:
        agency = directory.agency_by_code(session, code)
        directory.rename_agency(session, agency, new_name, parse_date(on) if on else today())
    console.print(f"机关 {code} 已更名为 {new_name}")


@agency_app.command("merge", help="机构改革：将机关并入另一机关（保留其案件和历史名称）")
def agency_merge(
    code: str = typer.Argument(...),
    into: str = typer.Option(..., "--into", help="并入的机关代码"),
    on: str | None = typer.Option(None, "--on"),
) -> None:
    with writing() as session:
        source = directory.agency_by_code(session, code)
        target = directory.agency_by_code(session, into)
        directory.merge_agency(session, source, target, parse_date(on) if on else today())
    console.print(f"机关 {code} 已并入 {into}")


@user_app.command("add", help="新增用户")
def user_add(
    username: str = typer.Argument(...),
    display_name: str | None = typer.Option(None, "--name"),
    email: str | None = typer.Option(None, "--email"),
) -> None:
    with writing() as session:
        directory.add_user(session, username, display_name or username, email)
    console.print(f"用户 {username} 已新增")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("标准输入中没有密码", 2)
        return password
    return str(typer.prompt("新密码", hide_input=True, confirmation_prompt="再输入一次"))


@user_app.command("passwd", help="设置用户密码（该用户的所有登录随之失效）")
def user_passwd(
    username: str = typer.Argument(...),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="从标准输入读取密码（一行），用于脚本"
    ),
) -> None:
    with reading() as session:  # an unknown name fails before the password is asked for
        directory.user_by_name(session, username)
    password = _read_password(password_stdin)
    with writing() as session:
        user = directory.user_by_name(session, username)
        auth.set_password(session, user, password, utcnow())
    console.print(f"用户 {username} 的密码已设置")


@user_app.command("disable", help="停用用户（不能再登录，现有登录立即失效）")
def user_disable(username: str = typer.Argument(...)) -> None:
    with writing() as session:
        user = directory.user_by_name(session, username)
        auth.disable(session, user, utcnow())
    console.print(f"用户 {username} 已停用")


@user_app.command("enable", help="重新启用已停用的用户（凭其密码登录）")
def user_enable(username: str = typer.Argument(...)) -> None:
    with writing() as session:
        auth.enable(session, directory.user_by_name(session, username))
    console.print(f"用户 {username} 已重新启用")


@user_app.command(
    "grant", help=f"授予用户在某机关的角色（{'/'.join(r.value for r in Role)}），可限定期间（代理）"
)
def user_grant(
    username: str = typer.Argument(...),
    role: str = typer.Argument(..., help=ROLE_CHOICES),
    agency: str = typer.Option(..., "--agency"),
    valid_from: str | None = typer.Option(None, "--from"),
    valid_to: str | None = typer.Option(None, "--to"),
    delegated_by: str | None = typer.Option(None, "--delegated-by", help="委托人（代理）"),
) -> None:
    if role not in {r.value for r in Role}:
        fail(f"未知的角色“{role}”；可用：{'、'.join(r.value for r in Role)}", 2)
    with writing() as session:
        user = directory.user_by_name(session, username)
        agency_row = directory.agency_by_code(session, agency)
        by = directory.user_by_name(session, delegated_by) if delegated_by else None
        directory.grant(
            session,
            user,
            agency_row,
            Role(role),
            parse_date(valid_from) if valid_from else None,
            parse_date(valid_to) if valid_to else None,
            by,
        )
    console.print(f"已授予 {username} 在 {agency} 的{Role(role).label}角色")


@user_app.command("revoke", help="撤销用户在某机关的角色（即日起失效；尚未开始的授权删除）")
def user_revoke(
    username: str = typer.Argument(...),
    role: str = typer.Argument(..., help=ROLE_CHOICES),
    agency: str = typer.Option(..., "--agency"),
) -> None:
    if role not in {r.value for r in Role}:
        fail(f"未知的角色“{role}”；可用：{'、'.join(r.value for r in Role)}", 2)
    with writing() as session:
        user = directory.user_by_name(session, username)
        agency_row = directory.agency_by_code(session, agency)
        directory.revoke_role(session, user, agency_row, Role(role), today())
    console.print(f"已撤销 {username} 在 {agency} 的{Role(role).label}角色")


@user_app.command("list", help="列出用户及角色")
def user_list() -> None:
    with reading() as session:
        for u in session.exec(select(User).order_by(col(User.username))).all():
            roles = session.exec(select(UserRole).where(UserRole.user_id == u.id)).all()
            parts = []
            for r in roles:
                a = session.get(Agency, r.agency_id)
                period = (
                    f"[{r.valid_from or ''}~{r.valid_to or ''}]"
                    if r.valid_from or r.valid_to
                    else ""
                )
                parts.append(f"{a.code if a else '?'}:{Role(r.role).label}{period}")
            console.print(
                f"{u.username}（{u.display_name}）{'' if u.active else '（已停用）'}  {'；'.join(parts)}"
            )
