"""Qt item models (`*TableModel`), fed with DTO rows by pages."""
