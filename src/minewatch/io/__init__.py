"""minewatch.io"""
