"""From diagnosis to action (METHOD §7): contact rhythm, the rep's day,
logging a contact, the client card, win-back, time allocation, funnel
against churn. The core of it: no screen, no terminal."""
