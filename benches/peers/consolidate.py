"""The consolidation the peers do, shared by both: per school, staff by role category and BDTX
completion, from the sample district's workbooks. Roles are classified with bdtx's own
schemas/vocabularies.toml (same aliases, longest-prefix match on folded text), so the figures are
comparable. Only the reading of sheets differs between peers (pandas+openpyxl, polars+fastexcel).
"""
import json
import pathlib
import sys
import tomllib
import unicodedata

ROOT = pathlib.Path(__file__).resolve().parents[2]


def fold(text):
    out, space = [], False
    for ch in unicodedata.normalize("NFD", str(text).lower()):
        if unicodedata.combining(ch):
            continue
        ch = "d" if ch == "đ" else ch
        if ch in ".'’":
            continue
        if ch.isalnum():
            if space and out:
                out.append(" ")
            space = False
            out.append(ch)
        else:
            space = True
    return "".join(out)


def load_roles():
    vocab = tomllib.loads((ROOT / "schemas" / "vocabularies.toml").read_text())
    roles = {}
    for e in vocab["role"]["entries"]:
        for alias in e["aliases"] + [e["label"]]:
            roles.setdefault(fold(alias), e["category"])
    return roles


ROLES = load_roles()


def category(role):
    f = fold(role)
    while f:
        if f in ROLES:
            return ROLES[f]
        if " " not in f:
            return None
        f = f.rsplit(" ", 1)[0]
    return None


def blank(v):
    return v is None or (isinstance(v, float) and v != v) or str(v).strip() == ""


def consolidate(folder, read_sheets):
    """read_sheets(path) -> list of sheets, each a list of rows (lists of cells)."""
    schools = {}
    for path in sorted(pathlib.Path(folder).rglob("*.xlsx")):
        if path.name.startswith("~$") or path.name == "danh_muc_truong.xlsx":
            continue
        code = path.relative_to(folder).parts[0].split("_")[0]
        if len(path.relative_to(folder).parts) < 2:
            continue
        s = schools.setdefault(code, {"total": 0, "managers": 0, "teachers": 0, "support": 0, "bdtx_rows": 0})
        for rows in read_sheets(path):
            header = next((i for i, r in enumerate(rows[:20]) if any(fold(c) == "ho va ten" for c in r if not blank(c))), None)
            if header is None:
                continue
            head = [fold(c) if not blank(c) else "" for c in rows[header]]
            name_col = head.index("ho va ten")
            role_col = next((i for i, h in enumerate(head) if h.startswith("chuc vu")), None)
            scores = [i for i, h in enumerate(head) if h.startswith("noi dung")]
            for r in rows[header + 1:]:
                name = r[name_col] if name_col < len(r) else None
                if blank(name):
                    continue
                if fold(name).startswith(("tong cong", "nguoi lap")):
                    break
                if scores:
                    s["bdtx_rows"] += 1
                    continue
                role = r[role_col] if role_col is not None and role_col < len(r) else None
                cat = None if blank(role) else category(role)
                if cat:
                    s["total"] += 1
                    s[{"manager": "managers", "teacher": "teachers", "support": "support"}[cat]] += 1
    return schools


def main(read_sheets):
    json.dump(consolidate(sys.argv[1], read_sheets), sys.stdout, sort_keys=True)
