"""The job-queue side of campaigns: ``service`` (choose, prepare, check again, issue)."""
