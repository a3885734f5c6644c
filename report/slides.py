"""The report as 16:9 slides (python-pptx): the same content as the PDF, one slide per manager, the charts
as PNG images of the app's Altair specs, every number in a real table (editable, searchable)."""
from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.util import Emu, Inches, Pt

from . import render

W, H = Emu(12192000), Emu(6858000)          # 16:9, 13.333 × 7.5 in
INK = RGBColor(0x1F, 0x29, 0x37)
MUTED = RGBColor(0x6B, 0x72, 0x80)
ACCENT = RGBColor(0x1F, 0x5F, 0xBF)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
ZEBRA = RGBColor(0xF7, 0xF8, 0xFA)
_QUOTE = {'"': "&quot;"}
SOFT = {"green": RGBColor(0xDC, 0xF1, 0xE4), "amber": RGBColor(0xFB, 0xEF, 0xCF), "red": RGBColor(0xF7, 0xDC, 0xD9),
        "none": RGBColor(0xF1, 0xF2, 0xF4), "insufficient": RGBColor(0xE5, 0xE7, 0xEB)}
FONT = "DejaVu Sans"
ROWS_PER_SLIDE = 14


class _Deck:
    def __init__(self, content: dict, images: dict):
        self.c = content
        self.images = images
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = W, H
        self.blank = self.prs.slide_layouts[6]
        self.n = 0
        _remember_images(self.prs.part.package)

    def slide(self, title: str | None = None):
        s = self.prs.slides.add_slide(self.blank)
        self.n += 1
        if title is not None:
            self.text(s, title, Inches(0.5), Inches(0.3), W - Inches(1), Inches(0.7), size=26, bold=True, color=ACCENT)
        foot = f"{self.c['cover']['title']} · {self.c['cover']['period']}   ·   {self.c['footer']} · {self.n}"
        self.text(s, foot, Inches(0.5), H - Inches(0.45), W - Inches(1), Inches(0.3), size=9, color=MUTED)
        return s

    @staticmethod
    def text(slide, value, x, y, w, h, *, size=14, bold=False, color=INK, bullets: list[str] | None = None):
        box = slide.shapes.add_textbox(x, y, w, h)
        tf = box.text_frame
        tf.word_wrap = True
        lines = bullets if bullets is not None else [value]
        for i, line in enumerate(lines):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            run = p.add_run()
            run.text = ("• " + line) if bullets is not None else line
            run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
            run.font.color.rgb = color
            if bullets is not None:
                p.space_after = Pt(4)
        return box

    @staticmethod
    def table(slide, headers, rows, x, y, w, *, widths=None, size=11, lights=None, row_h=0.32, bold_last=False,
              left=(0,)):
        """A table of ``rows`` (and ``headers``) with the cells' fills, fonts and alignment — its XML written
        at once (``_table_xml``: what python-pptx's cell by cell calls write, ~100 times faster)."""
        n_rows = len(rows) + (1 if headers else 0)
        n_cols = len(rows[0]) if rows else len(headers)
        height = Inches(row_h * n_rows)
        if widths:
            total = sum(widths)
            cols = [int(w * wd / total) for wd in widths]
            w = sum(cols)                       # as python-pptx does when a column's width is set
        else:                                   # python-pptx's even split, the last column taking the rest
            cols = [w // n_cols] * (n_cols - 1) + [w - (n_cols - 1) * (w // n_cols)]
        grid = []
        if headers:
            grid.append([(htext, True, WHITE, ACCENT, j not in left) for j, htext in enumerate(headers)])
        for i, row in enumerate(rows):
            bold = bold_last and i == len(rows) - 1
            zebra = WHITE if i % 2 == 0 else ZEBRA
            grid.append([(value, bold, INK, (SOFT.get(lights[i][j]) if lights and lights[i][j] else zebra),
                          j not in left) for j, value in enumerate(row)])
        tree = slide.shapes._spTree
        frame = parse_xml(_table_xml(tree.max_shape_id + 1, x, y, w, height, cols, grid, size))
        tree.insert_element_before(frame, "p:extLst")
        tab = slide.shapes[-1].table
        for (r, c), (value, bold, color, fill, right) in _odd_cells(grid):   # line breaks, control characters
            _cell(tab.cell(r, c), value, size=size, bold=bold, color=color, fill=fill, align_right=right)
        return tab

    def image(self, slide, key, x, y, *, w, h):
        """The chart's PNG in the box w × h at (x, y), as large as fits, its proportions kept."""
        blob = self.images.get(key)
        if blob is None:
            return None
        pic = slide.shapes.add_picture(io.BytesIO(blob), x, y, width=w)
        if pic.height > h:
            ratio = h / pic.height
            pic.height, pic.width = int(h), int(pic.width * ratio)
        return pic


def _remember_images(package) -> None:
    """``package`` finding an image it already has and the next free image name from a dict, not by walking
    every part of the package per picture (python-pptx's way: quadratic with a slide per manager). The same
    answers: an equal image (SHA-1) is reused, a new one gets the lowest free ``/ppt/media/imageN``."""
    from pptx.opc.packuri import PackURI
    from pptx.parts.image import Image, ImagePart

    parts = [p for p in package.iter_parts() if p.partname.startswith("/ppt/media/image")]
    known = {p.sha1: p for p in parts if hasattr(p, "sha1")}
    used = {p.partname.idx for p in parts if p.partname.idx is not None}

    def get_or_add_image_part(image_file):
        image = Image.from_file(image_file)
        part = known.get(image.sha1)
        if part is None:
            idx = next(i for i in range(1, len(used) + 2) if i not in used)
            used.add(idx)
            part = known[image.sha1] = ImagePart(PackURI(f"/ppt/media/image{idx}.{image.ext}"), image.content_type,
                                                 package, image.blob, image.filename)
        return part

    package.get_or_add_image_part = get_or_add_image_part


def _cell(cell, value, *, size, bold=False, color=INK, fill=None, align_right=False):
    """One cell through python-pptx (a text with line breaks or control characters: ``_table_xml`` leaves
    those to it)."""
    from pptx.enum.text import PP_ALIGN
    cell.text = "" if value is None else str(value)
    p = cell.text_frame.paragraphs[0]
    p.alignment = PP_ALIGN.RIGHT if align_right else PP_ALIGN.LEFT
    for r in p.runs:
        r.font.size, r.font.bold, r.font.name = Pt(size), bold, FONT
        r.font.color.rgb = color
    cell.margin_left = cell.margin_right = Inches(0.06)
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    if fill is not None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill


_ODD = re.compile(r"[\x00-\x1f]")          # what python-pptx turns into paragraphs, breaks or _xHHHH_ escapes
_TC_PR = f'<a:tcPr marL="{Inches(0.06)}" marR="{Inches(0.06)}" marT="{Inches(0.03)}" marB="{Inches(0.03)}"'


def _text(value) -> str:
    return "" if value is None else str(value)


def _odd_cells(grid):
    return [((i, j), cell) for i, row in enumerate(grid) for j, cell in enumerate(row) if _ODD.search(_text(cell[0]))]


def _table_xml(shape_id: int, x, y, w, h, cols: list[int], grid: list[list[tuple]], size: int) -> str:
    """The ``p:graphicFrame`` of a table, element for element what ``shapes.add_table`` and ``_cell`` write:
    ``grid`` rows of (value, bold, text colour, fill or None, right-aligned). A cell whose text has a
    control character is written empty here and filled by ``_cell`` (python-pptx's paragraphs and escapes)."""
    n = len(grid)
    heights = [h // n] * (n - 1) + [h - (n - 1) * (h // n)]
    out = [f'<p:graphicFrame {nsdecls("a", "p")}><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" '
           f'name="Table {shape_id - 1}"/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/>'
           f'</p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="{x}" y="{y}"/>'
           f'<a:ext cx="{w}" cy="{h}"/></p:xfrm><a:graphic><a:graphicData '
           f'uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblPr firstRow="1" bandRow="1">'
           f'<a:tableStyleId>{{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}}</a:tableStyleId></a:tblPr><a:tblGrid>']
    out += [f'<a:gridCol w="{c}"/>' for c in cols]
    out.append("</a:tblGrid>")
    sz = int(Pt(size).centipoints)
    for row, rh in zip(grid, heights):
        out.append(f'<a:tr h="{rh}">')
        for value, bold, color, fill, right in row:
            text = _text(value)
            run = "" if not text or _ODD.search(text) else (
                f'<a:r><a:rPr sz="{sz}" b="{1 if bold else 0}"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
                f'<a:latin typeface="{escape(FONT, _QUOTE)}"/></a:rPr><a:t>{escape(text)}</a:t></a:r>')
            fill_xml = f'><a:solidFill><a:srgbClr val="{fill}"/></a:solidFill></a:tcPr>' if fill is not None else "/>"
            out.append(f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p><a:pPr algn="{"r" if right else "l"}"/>{run}'
                       f'</a:p></a:txBody>{_TC_PR}{fill_xml}</a:tc>')
        out.append("</a:tr>")
    out.append("</a:tbl></a:graphicData></a:graphic></p:graphicFrame>")
    return "".join(out)


def build(content: dict, progress=None, pool=None) -> bytes:
    say = progress or (lambda f, s: None)
    c, hd = content, content["headings"]
    d = _Deck(c, render.many(c["charts"], kind="png", progress=say, start=0.9, span=0.05, pool=pool))
    # 1. cover
    s = d.slide()
    d.text(s, c["cover"]["subtitle"], Inches(0.8), Inches(1.6), Inches(11), Inches(0.5), size=16, color=MUTED)
    d.text(s, c["cover"]["title"], Inches(0.8), Inches(2.1), Inches(11.5), Inches(1.2), size=40, bold=True, color=ACCENT)
    lab = c["cover"]["labels"]
    rows = [[lab[k], c["cover"][k]] for k in ("period", "previous", "managers", "sources", "rows", "date")]
    d.table(s, None, rows, Inches(0.8), Inches(3.6), Inches(9), widths=[1, 2.6], size=14, row_h=0.4)
    # 2. summary and team KPIs
    s = d.slide(hd["summary"])
    d.text(s, "", Inches(0.5), Inches(1.1), Inches(12.3), Inches(4.2), size=13, bullets=c["summary"][:14])
    d.table(s, [k["label"] for k in c["team_kpis"]], [[k["value"] for k in c["team_kpis"]],
                                                       [k["change"] for k in c["team_kpis"]]],
            Inches(0.5), Inches(5.6), Inches(12.3), size=14, row_h=0.42)
    # 3. scorecard (in chunks) and the matrix
    sc = c["scorecard"]
    for i in range(0, len(sc["rows"]), ROWS_PER_SLIDE):
        part = sc["rows"][i:i + ROWS_PER_SLIDE]
        s = d.slide(hd["scorecard"])
        d.table(s, sc["headers"], [[x["text"] for x in r] for r in part], Inches(0.4), Inches(1.1), Inches(12.5),
                widths=[2.4] + [1.2] * (len(sc["headers"]) - 1), size=11,
                lights=[[x["light"] for x in r] for r in part],
                bold_last=i + ROWS_PER_SLIDE >= len(sc["rows"]))
        d.text(s, c["lights_legend"], Inches(0.4), H - Inches(0.9), Inches(12.5), Inches(0.4), size=10, color=MUTED)
    bt = c.get("by_team") or {}
    for i in range(0, len(bt.get("rows") or []), ROWS_PER_SLIDE):
        s = d.slide(bt["title"])
        d.table(s, bt["headers"], bt["rows"][i:i + ROWS_PER_SLIDE], Inches(0.4), Inches(1.1), Inches(12.5),
                widths=[2.4, 1.1] + [1.2] * (len(bt["headers"]) - 2), size=11)
        d.text(s, bt["note"], Inches(0.4), H - Inches(1.1), Inches(12.5), Inches(0.6), size=10, color=MUTED)
    if "matrix" in c["charts"]:
        s = d.slide(hd["matrix"])
        d.image(s, "matrix", Inches(1.5), Inches(1.1), w=Inches(10.3), h=Inches(5.7))
    say(0.95, "slides")
    # 4. one slide per manager
    for k, m in enumerate(c["managers"]):
        s = d.slide(m["name"])
        d.text(s, f"{c['cover']['period']} · {m['deals']} · {m['target_line']}", Inches(0.5), Inches(0.95),
               Inches(12.3), Inches(0.4), size=13, color=MUTED)
        d.table(s, [hd["kpi"], hd["value"], hd["interval"], hd["change"], hd["team_value"], hd["light"], hd["verdict"]],
                [[r["kpi"], r["value"], r["interval"], r["change"], r["team"], r["light_word"], r["verdict"]]
                 for r in m["rows"]], Inches(0.5), Inches(1.4), Inches(12.3),
                widths=[2.2, 1.4, 2.3, 1.3, 1.4, 1.2, 4.2], size=11, left=(0, 5, 6),
                lights=[[None] * 5 + [r["light"], None] for r in m["rows"]])
        d.table(s, None, [[f["label"], f["value"]] for f in m["facts"]], Inches(0.5), Inches(4.25), Inches(4.2),
                widths=[2, 1.3], size=10, row_h=0.27)
        d.image(s, m["chart"], Inches(5.1), Inches(4.2), w=Inches(7.7), h=Inches(2.75))
        say(0.95 + 0.04 * (k + 1) / max(len(c["managers"]), 1), "slides")
    # 5. comparisons
    if c["comparisons"]:
        s = d.slide(hd["compare"])
        d.text(s, "", Inches(0.5), Inches(1.1), Inches(5.2), Inches(5.5), size=12, bullets=c["omnibus"] + c["compare_notes"])
        if "funnel" in c["comparisons"]:
            d.image(s, "funnel", Inches(5.8), Inches(1.1), w=Inches(7.1), h=Inches(5.6))
        if "conv_ci" in c["comparisons"] or "deal_box" in c["comparisons"]:
            s = d.slide(hd["compare"])
            d.text(s, hd["conv_ci"], Inches(0.5), Inches(1.0), Inches(6), Inches(0.4), size=14, bold=True)
            d.image(s, "conv_ci", Inches(0.5), Inches(1.5), w=Inches(6.1), h=Inches(5.3))
            d.text(s, hd["deal_box"], Inches(6.9), Inches(1.0), Inches(6), Inches(0.4), size=14, bold=True)
            d.image(s, "deal_box", Inches(6.9), Inches(1.5), w=Inches(6.0), h=Inches(5.3))
    # 6. retention
    if "cohorts" in c["charts"]:
        s = d.slide(hd["retention"])
        d.text(s, hd["cohorts"], Inches(0.5), Inches(1.0), Inches(6), Inches(0.4), size=14, bold=True)
        d.image(s, "cohorts", Inches(0.5), Inches(1.5), w=Inches(6.2), h=Inches(5.2))
        d.text(s, c["retention"]["heatmap_note"], Inches(0.5), Inches(6.75), Inches(6.2), Inches(0.4), size=9,
               color=MUTED)
        if "km" in c["charts"]:
            d.text(s, hd["km"], Inches(7.0), Inches(1.0), Inches(6), Inches(0.4), size=14, bold=True)
            d.image(s, "km", Inches(7.0), Inches(1.5), w=Inches(5.9), h=Inches(5.3))
    # 7. plan
    plan = c["plan"]
    for i in range(0, max(len(plan["rows"]), 1), ROWS_PER_SLIDE):
        s = d.slide(hd["plan"])
        d.text(s, hd["targets"], Inches(0.5), Inches(1.0), Inches(6), Inches(0.4), size=14, bold=True)
        if plan["rows"]:
            d.table(s, plan["headers"], plan["rows"][i:i + ROWS_PER_SLIDE], Inches(0.5), Inches(1.45), Inches(7.3),
                    widths=[2.4, 1.5, 1.5, 1.2, 1], size=11)
        if i == 0:
            d.text(s, hd["settings"], Inches(8.2), Inches(1.0), Inches(4.7), Inches(0.4), size=14, bold=True)
            d.table(s, None, plan["settings"], Inches(8.2), Inches(1.45), Inches(4.7), widths=[2.6, 1.2], size=10,
                    row_h=0.3)
    if plan["forecast"]:
        for i in range(0, len(plan["forecast"]), ROWS_PER_SLIDE):
            s = d.slide(hd["forecast"])
            d.table(s, plan["forecast_headers"], plan["forecast"][i:i + ROWS_PER_SLIDE], Inches(0.5), Inches(1.2),
                    Inches(10), widths=[2.4, 1.5, 1.5, 1.5], size=11)
    if plan.get("whatif"):
        for i in range(0, len(plan["whatif"]), ROWS_PER_SLIDE):
            s = d.slide(hd["whatif"])
            d.table(s, plan["whatif_headers"], plan["whatif"][i:i + ROWS_PER_SLIDE], Inches(0.5), Inches(1.2),
                    Inches(11), widths=[2.6, 1.0, 1.8, 1.8, 1.8, 1.8], size=11)
    # 8. appendix
    s = d.slide(hd["appendix"])
    a = c["appendix"]
    d.text(s, "", Inches(0.5), Inches(1.1), Inches(6.1), Inches(5.6), size=11,
           bullets=[f"{x['kpi']}: {x['text']}" for x in a["definitions"]])
    d.text(s, "", Inches(6.8), Inches(1.1), Inches(6.1), Inches(5.6), size=11, bullets=a["methods"] + a["quality"])
    buf = io.BytesIO()
    d.prs.save(buf)
    return buf.getvalue()
