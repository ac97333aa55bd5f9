"""Peer (d): the consolidation with python polars read_excel (fastexcel, on calamine)."""
import polars as pl
from consolidate import main


def read_sheets(path):
    book = pl.read_excel(path, sheet_id=0, has_header=False, engine="calamine", infer_schema_length=0)
    return [[list(r) for r in df.iter_rows()] for df in book.values()]


if __name__ == "__main__":
    main(read_sheets)
