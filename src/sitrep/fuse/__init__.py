"""Fusion: events, stories and reconciled figures built from many documents' claims."""
