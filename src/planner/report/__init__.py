"""Exports for the CFO: an Excel workbook with native charts, and a PDF. Qt only in the PDF/PNG painter."""
