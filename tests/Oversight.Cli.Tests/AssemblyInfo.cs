[assembly: AssemblyFixture(typeof(Oversight.Testing.PostgresServer))]
