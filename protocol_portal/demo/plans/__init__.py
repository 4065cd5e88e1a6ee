"""The demo drawn in memory: the council, its enquiries, concerns and positive examples, from
the data files and fixed random seeds, without reading the database. Every call draws exactly
the same plan; the builders beside this package then write it through the real services."""
