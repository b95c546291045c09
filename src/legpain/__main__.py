from legpain.cli.app import main

main()
