"""minewatch.api"""
