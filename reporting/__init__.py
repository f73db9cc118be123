"""What reads across the plan's apps: the plan page, the quarterly scorecard, the audit page and
the PDF documents (plan, board pack, action plan) built from the same selectors."""
