"""minewatch.store"""
