defmodule Tiny do
  @moduledoc """
  The smallest release Zed's live tests deploy.

  The version is the one the release was built with (from `tiny.app`), and
  whether it is healthy is a build-time flag (`:broken` in the app env, set for
  1.0.2): a broken build starts and serves HTTP, but reports itself unhealthy.
  """

  @doc "The release version, e.g. `\"1.0.1\"`."
  @spec version() :: String.t()
  def version do
    load()
    :tiny |> Application.spec(:vsn) |> to_string()
  end

  @doc "`:ok` for good builds, `{:error, :broken}` for the broken one (1.0.2)."
  @spec health() :: :ok | {:error, :broken}
  def health do
    if broken?(), do: {:error, :broken}, else: :ok
  end

  @doc "True when this build was made broken on purpose."
  @spec broken?() :: boolean()
  def broken? do
    load()
    Application.get_env(:tiny, :broken, false) == true
  end

  # `bin/tiny eval` does not load the application: load it so that its spec
  # and env are readable there too.
  defp load do
    case Application.load(:tiny) do
      :ok -> :ok
      {:error, {:already_loaded, :tiny}} -> :ok
    end
  end
end
