"""The 干部任免审批表 exchange file (.lrmx, national version 3.2; ``../shared/LRMX.md``) and its print forms.

- ``codes.py``: the coded fields (性别, 民族, 健康状况, 学历, 学位, 政治面貌) by label, both ways;
- ``writer.py``: one cadre's form as ordered values (``sheet``), shared by the .lrmx file, the PDF
  and the Word document, and the .lrmx bytes (``lrmx_bytes``);
- ``reader.py``: one file's bytes → the values it holds, each problem named by its field in
  Chinese (no database);
- ``importer.py``: many files → a plan per file (create or update, the diff against the stored
  cadre), checked all together, and applied all or none;
- ``printing.py``: the PDF (WeasyPrint, fonts from our own static files) and the Word document.
"""
