DROP TABLE state_snapshots;
