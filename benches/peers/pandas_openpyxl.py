"""Peer (c): the consolidation with pandas + openpyxl."""
import pandas as pd
from consolidate import main


def read_sheets(path):
    book = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl", dtype=object)
    return [df.values.tolist() for df in book.values()]


if __name__ == "__main__":
    main(read_sheets)
