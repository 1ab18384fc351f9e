// socle — the command line of Socle. `socle --help` lists the commands; every command that prints results takes --json.
using Socle.Cli;
using Socle.Host;

return await SocleCli.RunAsync(args, SocleModules.All);
