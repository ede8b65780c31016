// Each test collection may start a whole AppHost (DCP, PostgreSQL, three services): on two cores they take turns.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
