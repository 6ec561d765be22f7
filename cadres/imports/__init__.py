"""Bulk import of performance records (实绩记录批量导入, issue #4).

- ``template.py``: the columns of the import file and the downloadable Excel template;
- ``records.py``: the import service: read the file, validate every row with the same rules as
  ``services.record_create``, save all rows or none (audited);
- ``jobs.py``: uploads stored under ``MEDIA_ROOT/imports/<user>/<job>/`` (readable only by the
  uploader), the Celery task's entry point, progress and results;
- ``report.py``: the error report (the uploaded rows plus an 错误原因 column).
"""
