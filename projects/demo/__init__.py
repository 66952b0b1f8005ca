"""The demo data (seed_demo): the plan's first years, and its life as it runs."""

from .seed import DEMO_PASSWORD, DemoSummary, seed_demo

__all__ = ["DEMO_PASSWORD", "DemoSummary", "seed_demo"]
