from minewatch.cli import main

main()
