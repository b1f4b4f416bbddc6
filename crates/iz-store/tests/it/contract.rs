//! Every behaviour of the store contract, against SQLite in a temporary folder.

iz_store::store_contract_tests!(iz_store::testing::temp_sqlite);
