"""Example request bodies for the OpenAPI document (shown in /docs, one per action)."""

from __future__ import annotations

from typing import Any

ACTION_EXAMPLES: dict[str, tuple[str, dict[str, Any]]] = {
    "assign": ("指定承办人", {"handler": "wang"}),
    "request_correction": (
        "告知补正（15个工作日内）",
        {"period_wd": 15, "items": ["请明确所需信息的名称、文号"], "served_on": "2026-11-24"},
    ),
    "extend_correction_period": ("延长补正期限5个工作日", {"days_wd": 5}),
    "receive_correction": ("收到补正（邮寄的注明交寄日）", {"posted_on": "2026-11-25"}),
    "start_consultation": (
        "征求第三方意见",
        {"party": "某建设有限公司", "party_received_on": "2026-11-24"},
    ),
    "receive_opinion": ("第三方不同意公开", {"opinion": "objection", "party": "某建设有限公司"}),
    "issue_fee_notice": (
        "发出信息处理费收费通知",
        {"amount": "100.00", "basis": "per_item", "applicant_received_on": "2026-11-24"},
    ),
    "receive_payment": ("收到缴费", {"posted_on": "2026-11-25"}),
    "extend": ("经负责人同意延长答复期限", {"days_wd": 20, "reason": "需调取档案、汇总数据"}),
    "request_reasons": ("要求说明理由（申请数量、频次明显超过合理范围）", {"period_wd": 15}),
    "set_reasonable_deadline": (
        "确定合理的答复期限",
        {"due_on": "2027-02-26", "reason": "申请内容涉及大量档案"},
    ),
    "record_service": ("记录补正告知书的送达", {"notice": "correction", "served_on": "2026-11-24"}),
    "reply": ("答复：部分公开", {"outcome": "partially_disclosed", "basis": "条例第三十七条", "form": "电子"}),
    "draft_reply": ("拟答复（待负责人签批）", {"outcome": "disclosed", "form": "纸质"}),
    "approve_reply": ("签批拟答复（无需正文）", {}),
    "reject_draft": ("退回拟答复", {"reason": "公开依据引用不准确"}),
    "void_expiry": ("撤销视为放弃（补正已在期限内交寄）", {"posted_on": "2026-11-20", "reason": "邮戳日期在期限内"}),
    "confirm_expiry": ("确认暂定日期上的期限届满（无需正文）", {}),
    "withdraw": ("申请人撤回", {"reason": "申请人书面撤回"}),
    "deliver": ("送达答复", {"method": "post"}),
    "amend_outcome": ("更正办理结果", {"outcome": "unavailable.not_held", "reason": "经核查本机关未制作、获取该信息"}),
    "void": ("作废误登记的案件", {"reason": "重复登记", "merged_into": "2026-001"}),
}  # fmt: skip

REGISTER_EXAMPLE: dict[str, Any] = {
    "agency": "zhz",
    "applicant": {"kind": "natural_person", "name": "张三", "phone": "13800000000"},
    "channel": "post",
    "signed_on": "2026-11-20",
    "request": "申请公开某路段改造工程的环境影响评价报告",
    "delivery": "electronic",
}
