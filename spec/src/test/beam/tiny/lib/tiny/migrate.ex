defmodule Tiny.Migrate do
  @moduledoc """
  A stand-in for a database migration, for Zed's pre-commands:

      bin/tiny eval "Tiny.Migrate.run()"

  Appends `tiny <version> migrated <UTC time>` to the file named by
  `TINY_MIGRATION_LOG` (if set) and exits 0. With `TINY_MIGRATION_FAIL=1` it
  writes nothing, prints why on stderr and exits 1.
  """

  def run do
    version = Tiny.version()

    if System.get_env("TINY_MIGRATION_FAIL") == "1" do
      IO.puts(:stderr, "tiny #{version}: migration failed (TINY_MIGRATION_FAIL=1)")
      System.halt(1)
    end

    case System.get_env("TINY_MIGRATION_LOG", "") do
      "" -> :ok
      path -> File.write!(path, "tiny #{version} migrated #{DateTime.utc_now() |> DateTime.to_iso8601()}\n", [:append])
    end

    IO.puts("tiny #{version}: migration done")
    :ok
  end
end
