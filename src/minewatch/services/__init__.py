"""minewatch.services"""
