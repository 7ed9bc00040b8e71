"""minewatch.domain"""
