"""What can make a household import file unreadable as a whole (a bad row is a RowError instead)."""

from __future__ import annotations

from core.errors import InvalidInput


class ImportFileUnsupported(InvalidInput):
    code = "import_file_unsupported"
    message_zh = "只能导入 CSV 或 XLSX 文件"
    message_en = "Only CSV or XLSX files can be imported"


class ImportEncodingUnsupported(InvalidInput):
    code = "import_encoding_unsupported"
    message_zh = "CSV 文件编码无法识别：只接受 UTF-8（可带 BOM）或 GBK/GB18030 编码，请另存为其中一种"
    message_en = (
        "The CSV encoding is not recognised: only UTF-8 (with or without BOM) or GBK/GB18030 is accepted"
    )


class ImportColumnsInvalid(InvalidInput):
    code = "import_columns_invalid"
    message_zh = "表头有误：缺少必填列、有未知列或重复列"
    message_en = "The header row is wrong: a required column is missing, unknown or repeated"
