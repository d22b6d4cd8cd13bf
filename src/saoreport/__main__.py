from saoreport.cli import main_entry

main_entry()
