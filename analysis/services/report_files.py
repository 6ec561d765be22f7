"""The auditors' reports as files (issue 14): any ``Figures`` (analysis.services.figures) as an xlsx
workbook and as a PDF laid out for printing.

- ``render_xlsx(figures, *, by="", at=None) -> bytes``: one sheet per table (XlsxWriter, in memory:
  the tables are aggregates, a few hundred rows at most) with its charts as Excel's own charts
  beside it (over the sheet's cells: they change with them), the report's title, parameters and
  生成人/生成时间 on top, then the header row (repeated on every printed page) and the rows; text cells
  are written as text with Excel's quote prefix, never a formula (as ``core.exports`` writes xlsx),
  so ``=1+1`` shows as ``=1+1``; A4 landscape, fitted to the width, 第 N 页 in the footer.
- ``render_pdf(figures, *, by, at) -> bytes``: WeasyPrint from ``analysis/reports/print.html``:
  A4, title, parameters, 生成人 and 生成时间, 第 N 页 共 M 页 (CSS page counters), every table (its
  header repeated on each page) and every chart drawn here as SVG, inline in the page. The font is
  Noto Serif SC from our own static files (``cadres.lrmx.printing.font_sheet``, the same
  FontConfiguration as the 任免审批表): WeasyPrint draws the SVG's text with it too, so a fresh
  machine without any CJK system font prints the same.

The charts are plain SVG written by ``chart_svg`` (horizontal bars, stacked bars, lines, a pie)
rather than a charting library: pygal and matplotlib are not in our requirements, matplotlib
would need its own font set-up for Chinese (it does not read CSS @font-face) and pygal's SVG relies
on CSS and scripts WeasyPrint ignores; what the reports need is four simple shapes whose labels
are measured in em, and their text then goes through the same font as the rest of the page.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import re
from decimal import Decimal
from html import escape

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .figures.base import Chart, Figures, Table

PALETTE = ["#3366cc", "#dc8a22", "#2e9e5b", "#c23b3b", "#7b5bb5", "#1f9fb3", "#b5a22b", "#8c564b", "#e377c2",
           "#7f7f7f"]
MAX_BARS = 20  # categories drawn in a bar chart (the table has them all)
FONT = "LRMX Serif"


# --------------------------------------------------------------------------- shared
def _when(at) -> str:
    if at is None:
        return "—"
    if isinstance(at, dt.datetime):
        at = timezone.localtime(at) if timezone.is_aware(at) else at
        return at.strftime("%Y-%m-%d %H:%M")
    return str(at)


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
    if isinstance(value, dt.datetime):
        return _when(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def param_line(figures: Figures) -> str:
    return "；".join(f"{label}：{value}" for label, value in figures.params) or _("无（全部）")


def _number(value) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else 0.0
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else 0.0
    try:
        return float(str(value).rstrip("%"))
    except (TypeError, ValueError):
        return 0.0


# --------------------------------------------------------------------------- xlsx
def _sheet_name(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", " ", str(title)).strip()[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:26]}-{n}"
        n += 1
    used.add(name.lower())
    return name


def render_xlsx(figures: Figures, *, by: str = "", at=None) -> bytes:
    """The report as a workbook: one sheet per table (see the module docstring)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    title_f = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    note_f = book.add_format({"text_wrap": True, "valign": "vcenter"})
    head_f = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    text_f = book.add_format({"border": 1, "quote_prefix": True})
    num_f = book.add_format({"border": 1})
    dec_f = book.add_format({"border": 1, "num_format": "0.00"})
    date_f = book.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
    used: set[str] = set()
    params = _("参数：%(p)s") % {"p": param_line(figures)}
    made = _("生成人：%(by)s　生成时间：%(at)s") % {"by": by or "—", "at": _when(at)}
    tables = figures.tables or [Table("empty", figures.title, [_("说明")], [[_("无数据。")]])]
    for table in tables:
        ws = book.add_worksheet(_sheet_name(table.title, used))
        last = max(len(table.columns) - 1, 1)
        top = max(last, 7)  # the lines on top span the chart's columns too: a narrow table does not clip them
        ws.merge_range(0, 0, 0, top, f"{figures.title} · {table.title}", title_f)
        ws.merge_range(1, 0, 1, top, params, note_f)
        ws.merge_range(2, 0, 2, top, made, note_f)
        ws.set_row(0, 28)
        ws.set_row(1, 18 * max(1, min(6, math.ceil(len(params) / 70))))
        header = 4
        for c, h in enumerate(table.columns):
            ws.write_string(header, c, str(h), head_f)
        widths = [max(8, min(40, len(str(h)) * 2 + 2)) for h in table.columns]
        for r, row in enumerate(table.rows, start=header + 1):
            for c, v in enumerate(row):
                if isinstance(v, bool) or v is None or not isinstance(v, (int, float, Decimal, dt.date)):
                    text = _shown(v)
                    ws.write_string(r, c, text, text_f)
                    if c < len(widths):
                        widths[c] = max(widths[c], min(40, len(text) * 2 + 2))
                elif isinstance(v, dt.datetime):
                    ws.write_string(r, c, _when(v), text_f)
                elif isinstance(v, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(v, dt.time.min), date_f)
                elif isinstance(v, Decimal):
                    ws.write_number(r, c, float(v), dec_f if v.is_finite() and v.as_tuple().exponent < 0 else num_f)
                elif isinstance(v, float) and not math.isfinite(v):
                    ws.write_string(r, c, "", text_f)
                else:
                    ws.write_number(r, c, v, num_f)
        if not table.rows:
            ws.write_string(header + 1, 0, _("无符合条件的记录。"), text_f)
        end = header + 1 + max(len(table.rows), 1)
        if table.note:
            ws.merge_range(end + 1, 0, end + 1, last, table.note, note_f)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        _xlsx_charts(book, ws, table, [c for c in figures.charts if c.table == table.key], header)
        ws.freeze_panes(header + 1, 1)
        ws.repeat_rows(header)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_footer("&C" + _("第 &P 页，共 &N 页"))
    book.close()
    return out.getvalue()


XLSX_CHART_TYPES = {"bar": {"type": "bar"}, "stacked": {"type": "bar", "subtype": "stacked"},
                    "line": {"type": "line"}, "pie": {"type": "pie"}}


def _xlsx_charts(book, ws, table: Table, charts: list[Chart], header: int) -> None:
    """The table's charts as Excel's own charts, to the right of the table, over its cells."""
    if not charted(table).rows:
        return
    first, last = header + 1, header + len(charted(table).rows)
    anchor_col, anchor_row = len(table.columns) + 1, header
    for chart in charts:
        made = book.add_chart(dict(XLSX_CHART_TYPES.get(chart.kind, {"type": "bar"})))
        cols = _series(chart, table)[: 1 if chart.kind == "pie" else None]
        for j, col in enumerate(cols):
            series = {"name": [ws.name, header, col], "categories": [ws.name, first, 0, last, 0],
                      "values": [ws.name, first, col, last, col]}
            if chart.kind != "pie":
                series["fill" if chart.kind != "line" else "line"] = {"color": PALETTE[j % len(PALETTE)]}
            made.add_series(series)
        made.set_title({"name": chart.title, "name_font": {"size": 11}})
        if chart.kind in ("bar", "stacked"):
            made.set_y_axis({"reverse": True})  # the first row at the top, as in the table
        if len(cols) == 1 and chart.kind != "pie":
            made.set_legend({"none": True})
        height = max(288, min(900, 18 * len(table.rows) + 80)) if chart.kind in ("bar", "stacked") else 288
        made.set_size({"width": 560, "height": height})
        ws.insert_chart(anchor_row, anchor_col, made)
        anchor_row += int(height / 20) + 2


# --------------------------------------------------------------------------- charts (SVG)
def _t(x, y, text, *, size=11, anchor="start", weight=400, fill="#222", extra="") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" font-weight="{weight}" '
            f'text-anchor="{anchor}" fill="{fill}"{extra}>{escape(str(text))}</text>')


def _clip(text, n: int) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * exp:
            return m * exp
    return 10 * exp


def _series(chart: Chart, table: Table) -> list[int]:
    cols = chart.series if chart.series else list(range(1, len(table.columns)))
    return [c for c in cols if 0 < c < len(table.columns)]


def _legend(names: list[str], x: float, y: float, width: float) -> tuple[str, float]:
    """Legend items in rows from (x, y); returns the SVG and the height used."""
    parts, cx, cy = [], x, y
    for i, name in enumerate(names):
        w = 18 + 12 * len(_clip(name, 14)) + 14
        if cx + w > x + width and cx > x:
            cx, cy = x, cy + 18
        parts.append(f'<rect x="{cx:.1f}" y="{cy - 9:.1f}" width="12" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>')
        parts.append(_t(cx + 16, cy, _clip(name, 14), size=10))
        cx += w
    return "".join(parts), (cy - y) + 18 if names else 0


def _bars(chart: Chart, table: Table, stacked: bool, width: int) -> str:
    cols = _series(chart, table)
    rows = table.rows[:MAX_BARS]
    names = [str(table.columns[c]) for c in cols]
    label_w = min(170, 14 + 11 * max((len(_clip(r[0], 14)) for r in rows), default=4))
    legend, legend_h = _legend(names, 10, 16, width - 20) if len(cols) > 1 else ("", 0)
    top = 10 + legend_h
    band = 22 if stacked or len(cols) == 1 else max(22, 10 * len(cols) + 8)
    plot_w = width - label_w - 60
    values = [[max(0.0, _number(r[c])) for c in cols] for r in rows]
    peak = max((sum(v) if stacked else max(v, default=0) for v in values), default=0)
    top_v = _nice_max(peak)
    h = top + band * max(len(rows), 1) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" viewBox="0 0 {width} {h}">', legend]
    x0 = label_w
    for k in range(5):  # the value axis: five grid lines
        gx = x0 + plot_w * k / 4
        out.append(f'<line x1="{gx:.1f}" y1="{top}" x2="{gx:.1f}" y2="{h - 24}" stroke="#ddd" stroke-width="0.8"/>')
        out.append(_t(gx, h - 10, _shown(top_v * k / 4), size=9, anchor="middle", fill="#666"))
    for i, (row, vals) in enumerate(zip(rows, values, strict=True)):
        y = top + band * i
        out.append(_t(x0 - 6, y + band / 2 + 4, _clip(row[0], 14), size=10, anchor="end"))
        if stacked:
            acc = 0.0
            for j, v in enumerate(vals):
                w = plot_w * v / top_v
                out.append(f'<rect x="{x0 + plot_w * acc / top_v:.1f}" y="{y + 4}" width="{w:.1f}" height="{band - 8}" '
                           f'fill="{PALETTE[j % len(PALETTE)]}"/>')
                acc += v
            out.append(_t(x0 + plot_w * acc / top_v + 4, y + band / 2 + 4, _shown(acc), size=9, fill="#444"))
        else:
            bh = (band - 8) / len(vals)
            for j, v in enumerate(vals):
                w = plot_w * v / top_v
                by = y + 4 + bh * j
                out.append(f'<rect x="{x0}" y="{by:.1f}" width="{w:.1f}" height="{max(bh - 1, 2):.1f}" '
                           f'fill="{PALETTE[j % len(PALETTE)]}"/>')
                out.append(_t(x0 + w + 4, by + bh / 2 + 3.5, _shown(row[cols[j]]), size=9, fill="#444"))
    out.append(f'<line x1="{x0}" y1="{top}" x2="{x0}" y2="{h - 24}" stroke="#888"/>')
    out.append("</svg>")
    return "".join(out)


def _line(chart: Chart, table: Table, width: int) -> str:
    cols = _series(chart, table)
    rows = table.rows
    names = [str(table.columns[c]) for c in cols]
    legend, legend_h = _legend(names, 50, 16, width - 60)
    top, h = 14 + legend_h, 260 + legend_h
    x0, plot_w, plot_h = 50, width - 70, h - 60 - legend_h
    values = [[_number(r[c]) for c in cols] for r in rows]
    top_v = _nice_max(max((max(v, default=0) for v in values), default=0))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" viewBox="0 0 {width} {h}">', legend]
    base = top + plot_h
    for k in range(5):
        gy = base - plot_h * k / 4
        out.append(f'<line x1="{x0}" y1="{gy:.1f}" x2="{x0 + plot_w}" y2="{gy:.1f}" stroke="#ddd" stroke-width="0.8"/>')
        out.append(_t(x0 - 6, gy + 3, _shown(top_v * k / 4), size=9, anchor="end", fill="#666"))
    n = len(rows)
    step = plot_w / max(n - 1, 1)
    every = max(1, math.ceil(n / 12))
    for i, row in enumerate(rows):
        if i % every == 0:
            out.append(_t(x0 + step * i, base + 16, _clip(row[0], 10), size=9, anchor="middle"))
    for j in range(len(cols)):
        pts = " ".join(f"{x0 + step * i:.1f},{base - plot_h * v[j] / top_v:.1f}" for i, v in enumerate(values))
        colour = PALETTE[j % len(PALETTE)]
        if n > 1:
            out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, v in enumerate(values):
            out.append(f'<circle cx="{x0 + step * i:.1f}" cy="{base - plot_h * v[j] / top_v:.1f}" r="2.5" fill="{colour}"/>')
    out.append(f'<line x1="{x0}" y1="{base}" x2="{x0 + plot_w}" y2="{base}" stroke="#888"/></svg>')
    return "".join(out)


def _pie(chart: Chart, table: Table, width: int) -> str:
    col = (_series(chart, table) or [1])[0]
    items = [(str(r[0]), max(0.0, _number(r[col]))) for r in table.rows]
    items = [i for i in items if i[1] > 0]
    if len(items) > 9:  # the smallest slices as one 其他
        items.sort(key=lambda i: -i[1])
        items = items[:8] + [(_("其他"), sum(v for _n, v in items[8:]))]
    total = sum(v for _n, v in items)
    h = max(240, 24 + 20 * len(items))
    r, cx, cy = 100, 130, h / 2
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" viewBox="0 0 {width} {h}">']
    angle = -math.pi / 2
    for i, (name, v) in enumerate(items):
        colour = PALETTE[i % len(PALETTE)]
        share = v / total if total else 0
        if share >= 0.9999:
            out.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{colour}"/>')
        elif share > 0:
            a2 = angle + 2 * math.pi * share
            x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
            x2, y2 = cx + r * math.cos(a2), cy + r * math.sin(a2)
            large = 1 if share > 0.5 else 0
            out.append(f'<path d="M{cx},{cy} L{x1:.2f},{y1:.2f} A{r},{r} 0 {large} 1 {x2:.2f},{y2:.2f} Z" '
                       f'fill="{colour}" stroke="#fff" stroke-width="1"/>')
            angle = a2
        ly = 24 + 20 * i
        out.append(f'<rect x="{cx + r + 40}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>')
        out.append(_t(cx + r + 58, ly, f"{_clip(name, 16)}  {_shown(v)}（{share * 100:.1f}%）", size=10))
    if not items:
        out.append(_t(cx, cy, _("无数据"), size=12, anchor="middle", fill="#888"))
    out.append("</svg>")
    return "".join(out)


def charted(table: Table) -> Table:
    """The rows a chart draws: a table's 合计 row (``Table.total``) is left out, as on the pages."""
    if getattr(table, "total", False) and table.rows:
        return dataclasses.replace(table, rows=table.rows[:-1])
    return table


def chart_svg(chart: Chart, table: Table, *, width: int = 640) -> str:
    """One chart as an SVG element (a string of trusted markup: every text is escaped here)."""
    table = charted(table)
    if not table.rows:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="40">'
                + _t(width / 2, 24, _("无数据"), size=12, anchor="middle", fill="#888") + "</svg>")
    if chart.kind == "pie":
        return _pie(chart, table, width)
    if chart.kind == "line":
        return _line(chart, table, width)
    return _bars(chart, table, chart.kind == "stacked", width)


# --------------------------------------------------------------------------- PDF
def pdf_context(figures: Figures, *, by: str, at) -> dict:
    from django.utils.safestring import mark_safe

    tables = {t.key: t for t in figures.tables}
    charts = []
    for chart in figures.charts:
        table = tables.get(chart.table)
        if table is not None:
            charts.append({"title": chart.title, "svg": mark_safe(chart_svg(chart, table)), "table": chart.table})  # noqa: S308 - built by chart_svg, text escaped
    by_table: dict[str, list] = {}
    for c in charts:
        by_table.setdefault(c["table"], []).append(c)
    sections = [{"table": t, "charts": by_table.get(t.key, []),
                 "rows": [[(_shown(v), isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)) for v in row]
                          for row in t.rows]} for t in figures.tables]
    # 第 N 页 共 M 页 from CSS counters: the translated sentence cut at its two numbers
    before, rest = _("第 {page} 页　共 {pages} 页").split("{page}", 1)
    middle, after = rest.split("{pages}", 1)

    def css(text):
        """A CSS string (in the page's <style>): quotes, backslashes, "<" and line ends escaped."""
        for a, b in (("\\", "\\\\"), ('"', '\\"'), ("<", "\\3c "), ("\n", " ")):
            text = text.replace(a, b)
        return f'"{text}"'
    page_numbers = f"{css(before)} counter(page) {css(middle)} counter(pages) {css(after)}"
    return {"figures": figures, "sections": sections, "by": by or "—", "at": _when(at),
            "params": figures.params, "page_numbers": page_numbers, "running_title": css(figures.title)}


def render_pdf(figures: Figures, *, by: str, at) -> bytes:
    """The report as a printed PDF (see the module docstring)."""
    from weasyprint import HTML

    from cadres.lrmx.printing import font_sheet

    config, fonts = font_sheet()
    html = render_to_string("analysis/reports/print.html", pdf_context(figures, by=by, at=at))
    return HTML(string=html, base_url=None).write_pdf(stylesheets=[fonts], font_config=config)
