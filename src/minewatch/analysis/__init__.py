"""minewatch.analysis"""
