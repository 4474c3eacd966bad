"""Models beyond the weighted score: the churn-risk estimate."""

from iqcadence_desktop.services.model.churn import METHOD_NOTE, ChurnEstimate, churn_risk

__all__ = ["ChurnEstimate", "METHOD_NOTE", "churn_risk"]
