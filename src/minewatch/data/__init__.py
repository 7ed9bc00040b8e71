"""minewatch.data"""
