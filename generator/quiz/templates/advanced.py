"""Case templates on accelerated and blastic phase. The one that asked who gets the lymphoid
blastic phase's regimen was dropped after expert review (tests/test_quiz_keys.py, DROPPED)."""
