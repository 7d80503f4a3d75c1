// The `warraq` program: parses the command line and dispatches to the command chosen. Each
// command is a file of its own (cli/*_command.cpp) that registers itself; none of them
// typesets, parses or packages anything: that is the engine's work.
#include <iostream>
#include <map>

#include "command.hpp"

namespace warraq::cli {
std::multimap<int, Setup>& registry();
}

int main(int argc, char** argv) {
  using namespace warraq::cli;
  CLI::App app{"Warraq: right-to-left news editions as PDF and EPUB", "warraq"};
  app.set_version_flag("-V,--version", "warraq " WARRAQ_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 success; 1 the output could not be written; 2 usage error or bad "
      "input (no output file is left behind).");

  std::vector<Registered> commands;
  for (auto& [order, setup] : registry()) commands.push_back(setup(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "warraq: error: " << e.what() << " (run 'warraq --help')\n";
    return bad_input;
  }

  try {
    for (const auto& command : commands)
      if (command.command && *command.command) return command.run();
  } catch (const std::exception& e) {
    std::cerr << "warraq: internal error: " << e.what() << "\n";
    return failure;
  }
  return bad_input;
}
