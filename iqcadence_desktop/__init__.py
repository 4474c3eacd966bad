"""iQcadence Desktop: an offline-first customer-success workbench."""

__version__ = "0.1.0"
APP_NAME = "iQcadence"
APP_ID = "com.iqcadence.desktop"
