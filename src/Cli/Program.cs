using System.CommandLine;
using SearchRerank.Cli;
using SearchRerank.Cli.Commands;
using SearchRerank.Cli.Output;
using Spectre.Console;

// Piped output, NO_COLOR and TERM=dumb get plain text: no escape codes, no wrapping (see TerminalKind).
AnsiConsole.Console = TerminalKind.Detect().CreateStandardOutput();

// One command per file under Commands/; each builds its own options and action.
var root = new RootCommand("SearchRerank: BM25 first stage, cross-encoder re-ranking, staged training and evaluation.")
{
    QuickstartCommand.Create(),
    EvalCommand.Create(),
    ExperimentCommand.Create(),
    IndexCommand.Create(),
    DeleteCommand.Create(),
    ModelCommand.Create(),
    SearchCommand.Create(),
    RerankCommand.Create(),
    FuseCommand.Create(),
    StatsCommand.Create(),
    OptimizeCommand.Create(),
    PretokenizeCommand.Create(),
    TokenizeCommand.Create(),
    TrainCommand.Create(),
    ServeCommand.Create(),
    RegressCommand.Create(),
};
root.Options.Add(CliOutput.QuietOption);
root.Options.Add(CliOutput.VerboseOption);
return CommandAction.Invoke(root, args);
