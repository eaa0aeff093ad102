defmodule Tiny.MixProject do
  use Mix.Project

  # The version comes from the build (scripts/lab.d/build-test-releases sets
  # TINY_VERSION); a plain `mix release` builds 1.0.0.
  @version System.get_env("TINY_VERSION", "1.0.0")

  # 1.0.2 is the deliberately broken release: it starts, but its health check
  # fails. TINY_BROKEN=1/0 forces it either way for any version.
  @broken System.get_env("TINY_BROKEN", if(@version == "1.0.2", do: "1", else: "0")) == "1"

  def project do
    [
      app: :tiny,
      version: @version,
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      deps: [],
      releases: [
        tiny: [
          include_erts: true,
          include_executables_for: [:unix],
          # Keep the tarball small and stable: no docs chunks, no debug info.
          strip_beams: true,
          steps: [:assemble, :tar]
        ]
      ]
    ]
  end

  def application do
    [
      mod: {Tiny.Application, []},
      extra_applications: [:logger],
      # Baked into tiny.app at build time; read by Tiny.broken?/0.
      env: [broken: @broken]
    ]
  end
end
