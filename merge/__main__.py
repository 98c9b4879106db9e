from merge.cli import main

main()
