using ImsCrawler.Migrator.Cli;

return await MigratorCli.RunAsync(args, Console.Out, Console.Error);
