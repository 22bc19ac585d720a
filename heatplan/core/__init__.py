"""What every stage shares: errors, the scenario, the input contract, the column registry and
the dataset type. Nothing here reads files of a dataset or plans anything."""
