"""minewatch.scale"""
