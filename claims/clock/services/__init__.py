"""The clock's services: rollups kept as claims move, the warning sweep, the work queue, reports."""
