"""The columns of the record import file and the downloadable Excel template.

The template has three sheets: the data sheet (headers, drop-down lists for 中心工作类别 and 本人角色,
text format for the ID number, date format for the dates), the instructions sheet (说明) with an
example, and a hidden sheet holding the active categories that the drop-down list reads.
"""
import datetime as dt
import io
import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import idcard
from ..models import PerformanceRecord, RecordRole, TaskCategory
from ..models.records import DESCRIPTION_MAX

TEMPLATE_ROWS = 5000  # rows of the data sheet that carry the drop-downs and formats
MAX_ROWS = 20_000  # data rows one file may hold


@dataclass(frozen=True)
class ImportColumn:
    key: str  # field of PerformanceRecord (or "id_number" / "name" of the cadre)
    label: str  # header (lazy, msgid in Chinese)
    required: bool
    width: int
    note_msgid: str  # for the instructions sheet and the cell prompt (lazy)
    note_params: tuple = ()

    @property
    def header(self) -> str:
        return f"{self.label}*" if self.required else str(self.label)

    @property
    def note(self) -> str:
        return str(self.note_msgid) % dict(self.note_params) if self.note_params else str(self.note_msgid)


def _max(field):
    return PerformanceRecord._meta.get_field(field).max_length


COLUMNS = [
    ImportColumn("id_number", gettext_lazy("身份证号码"), True, 22,
                 gettext_lazy("18位，末位可为X；请保持“文本”格式，否则Excel会把号码改成科学计数法。")),
    ImportColumn("name", gettext_lazy("干部姓名（仅核对）"), False, 14,
                 gettext_lazy("可不填；填写时须与该身份证号码对应的干部姓名一致，用于防止填错号码。")),
    ImportColumn("category", gettext_lazy("中心工作类别"), True, 18,
                 gettext_lazy("从下拉列表中选择启用的类别。")),
    ImportColumn("title", gettext_lazy("标题"), True, 36,
                 gettext_lazy("不超过%(n)s个字。"), (("n", _max("title")),)),
    ImportColumn("description", gettext_lazy("主要做法和成效"), True, 60,
                 gettext_lazy("不超过%(n)s个字。"), (("n", DESCRIPTION_MAX),)),
    ImportColumn("role", gettext_lazy("本人角色"), True, 12,
                 gettext_lazy("牵头、主要参与或参与（从下拉列表中选择）。")),
    ImportColumn("start_date", gettext_lazy("开始日期"), True, 13,
                 gettext_lazy("日期格式，如 2025-03-01；不能晚于今天。")),
    ImportColumn("end_date", gettext_lazy("结束日期"), False, 13,
                 gettext_lazy("可不填；填写时不能早于开始日期。")),
    ImportColumn("quantity", gettext_lazy("量化成果"), False, 12,
                 gettext_lazy("可不填；数字，如 3.2。")),
    ImportColumn("quantity_unit", gettext_lazy("计量单位"), False, 10,
                 gettext_lazy("填写了量化成果时必填，不超过%(n)s个字，如 亿元、个、人次。"), (("n", _max("quantity_unit")),)),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
DATE_KEYS = ("start_date", "end_date")
DATA_SHEET = gettext_lazy("实绩记录")
HELP_SHEET = gettext_lazy("说明")
LISTS_SHEET = "lists"  # hidden; read by the category drop-down
ERROR_HEADER = gettext_lazy("错误原因")


def normalize_header(text) -> str:
    """A header without the required mark, the bracketed note and spaces: "干部姓名（仅核对）" → "干部姓名"."""
    text = re.sub(r"[（(].*?[)）]", "", str(text or ""))
    return re.sub(r"\s+", "", text).rstrip("*＊").lower()


def header_aliases() -> dict[str, str]:
    """{normalised header: column key}, in Chinese and in every UI language (a template
    downloaded in English imports too)."""
    from django.conf import settings

    aliases = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for c in COLUMNS:
                aliases[normalize_header(c.label)] = c.key
    return aliases


def role_aliases() -> dict[str, str]:
    """{what a user may write in 本人角色: role value}: the labels in every UI language and the codes."""
    from django.conf import settings

    aliases = {r.value: r.value for r in RecordRole}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for r in RecordRole:
                aliases[str(r.label).strip().lower()] = r.value
    return aliases


def _example_id() -> str:
    return idcard.make_id_number("410402", dt.date(1980, 1, 1), 5, "M")


def build_template() -> bytes:
    """The import template as xlsx bytes, in the active language."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    categories = list(TaskCategory.objects.filter(is_active=True).order_by("order", "id").values_list("name", flat=True))
    roles = [str(r.label) for r in RecordRole]
    last = TEMPLATE_ROWS + 1
    col = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}

    wb = Workbook()
    ws = wb.active
    ws.title = str(DATA_SHEET)
    required_fill = PatternFill("solid", fgColor="F8CBAD")
    optional_fill = PatternFill("solid", fgColor="DDEBF7")
    bold = Font(bold=True)
    for i, c in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i, value=c.header)
        cell.font = bold
        cell.fill = required_fill if c.required else optional_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = c.width
        if c.key == "id_number" or c.key in ("name", "category", "title", "description", "role", "quantity_unit"):
            dim.number_format = "@"
        elif c.key in DATE_KEYS:
            dim.number_format = "yyyy-mm-dd"
        elif c.key == "quantity":
            dim.number_format = "0.00"
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 22

    def validation(key, dv, prompt):
        dv.promptTitle = str(COLUMN_BY_KEY[key].label)[:32]
        dv.prompt = str(prompt)[:255]
        dv.errorTitle = str(COLUMN_BY_KEY[key].label)[:32]
        dv.showInputMessage = True
        dv.showErrorMessage = True
        dv.add(f"{col[key]}2:{col[key]}{last}")
        ws.add_data_validation(dv)

    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    lists["A1"] = str(COLUMN_BY_KEY["category"].label)
    for i, name in enumerate(categories, start=2):
        lists.cell(row=i, column=1, value=name)
    if categories:
        dv = DataValidation(type="list", formula1=f"'{LISTS_SHEET}'!$A$2:$A${len(categories) + 1}", allow_blank=True)
        dv.error = _("请从下拉列表中选择中心工作类别。")
        validation("category", dv, COLUMN_BY_KEY["category"].note)
    dv = DataValidation(type="list", formula1='"{}"'.format(",".join(roles)), allow_blank=True)
    dv.error = _("请从下拉列表中选择本人角色。")
    validation("role", dv, COLUMN_BY_KEY["role"].note)
    for key in DATE_KEYS:
        dv = DataValidation(type="date", operator="between", formula1="DATE(1949,10,1)", formula2="DATE(2099,12,31)",
                            allow_blank=True)
        dv.error = _("请填写日期，如 2025-03-01。")
        validation(key, dv, COLUMN_BY_KEY[key].note)
    dv = DataValidation(type="textLength", operator="equal", formula1="18", allow_blank=True)
    dv.error = _("身份证号码应为18位。")
    validation("id_number", dv, COLUMN_BY_KEY["id_number"].note)
    dv = DataValidation(type="decimal", operator="between", formula1="-99999999999999", formula2="99999999999999",
                        allow_blank=True)
    dv.error = _("量化成果须为数字。")
    validation("quantity", dv, COLUMN_BY_KEY["quantity"].note)
    for key in ("title", "description", "quantity_unit"):
        limit = DESCRIPTION_MAX if key == "description" else _max(key)
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(limit), allow_blank=True)
        dv.error = _("不能超过%(n)s个字。") % {"n": limit}
        validation(key, dv, COLUMN_BY_KEY[key].note)

    _instructions(wb.create_sheet(str(HELP_SHEET), 1), categories, roles)
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _instructions(ws, categories, roles):
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 90
    ws["A1"] = _("实绩记录批量导入说明")
    ws["A1"].font = Font(bold=True, size=14)
    lines = [
        _("1. 在“%(sheet)s”工作表中每行填写一条实绩记录，第1行为表头，请勿修改表头、删除或调换列。") % {"sheet": DATA_SHEET},
        _("2. 带 * 的列为必填项。干部按身份证号码查找，只能为您管理范围内的干部导入。"),
        _("3. 上传后系统先逐行校验：只要有一行有错，全部不导入，并列出每一行的错误原因（可下载错误报告，改正后重新上传）。"),
        _("4. 全部正确时一次导入：单位领导导入的记录为“草稿”，核对后再提交；组织部工作人员导入的记录直接为“已提交”。"),
        _("5. 同一文件中，同一干部、同一中心工作类别、同一标题和同一开始日期的记录只能出现一次。"),
        _("6. 支持 .xlsx 文件和 UTF-8 或 GBK 编码的 .csv 文件，单个文件不超过10MB、不超过%(n)s行。") % {"n": MAX_ROWS},
        _("7. 佐证材料不能批量导入：导入后在记录详情页上传。"),
    ]
    row = 3
    for line in lines:
        ws.cell(row=row, column=1, value=line)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 30
        row += 1
    row += 1
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    for i, text in enumerate((_("列"), _("是否必填"), _("填写要求")), start=1):
        cell = ws.cell(row=row, column=i, value=text)
        cell.font, cell.fill = bold, head_fill
    for c in COLUMNS:
        row += 1
        ws.cell(row=row, column=1, value=str(c.label))
        ws.cell(row=row, column=2, value=_("必填") if c.required else _("选填"))
        ws.cell(row=row, column=3, value=str(c.note)).alignment = Alignment(wrap_text=True)
    row += 2
    ws.cell(row=row, column=1, value=_("示例（请勿复制到数据表中，身份证号码为虚构）")).font = bold
    example = [_example_id(), _("张三"), categories[0] if categories else _("乡村振兴"), _("推进高标准农田建设"),
               _("牵头完成高标准农田建设2万亩，带动周边农户增收。"), roles[0], "2025-03-01", "2025-10-31", "2", _("万亩")]
    row += 1
    for i, (c, value) in enumerate(zip(COLUMNS, example, strict=True)):
        ws.cell(row=row + i, column=1, value=str(c.label)).font = bold
        ws.cell(row=row + i, column=3, value=value)
    row += len(COLUMNS) + 1
    ws.cell(row=row, column=1, value=_("启用的中心工作类别")).font = bold
    ws.cell(row=row, column=3, value="、".join(categories) or _("（暂无，请联系组织部）"))
    row += 1
    ws.cell(row=row, column=1, value=_("本人角色")).font = bold
    ws.cell(row=row, column=3, value="、".join(roles))
