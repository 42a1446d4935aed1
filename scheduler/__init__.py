"""Training Scheduler: plan partner training, resolve clashes, send schedules."""

__version__ = "0.1.0"
APP_NAME = "Training Scheduler"
APP_ID = "training-scheduler"
