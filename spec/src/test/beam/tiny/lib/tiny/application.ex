defmodule Tiny.Application do
  @moduledoc false
  use Application
  require Logger

  @impl true
  def start(_type, _args) do
    port = http_port()
    ip = http_ip()

    Logger.info(
      "tiny #{Tiny.version()} starting on node #{node()}, http #{:inet.ntoa(ip)}:#{port}, " <>
        "health #{inspect(Tiny.health())}"
    )

    crash_later()
    children = [{Tiny.HTTP, ip: ip, port: port}]
    Supervisor.start_link(children, strategy: :one_for_one, name: Tiny.Supervisor)
  end

  # TINY_CRASH_AFTER_MS: the node halts (exit 1) that long after start — healthy at first, then not.
  defp crash_later do
    case Integer.parse(System.get_env("TINY_CRASH_AFTER_MS", "")) do
      {ms, ""} when ms >= 0 -> spawn(fn -> Process.sleep(ms); System.halt(1) end)
      _ -> :ok
    end
  end

  # TINY_HTTP_PORT (default 4000); TINY_HTTP_IP (default 0.0.0.0, all IPv4 addresses).
  defp http_port do
    case Integer.parse(System.get_env("TINY_HTTP_PORT", "4000")) do
      {port, ""} when port in 0..65535 -> port
      _ -> raise ArgumentError, "TINY_HTTP_PORT must be a port number, got #{inspect(System.get_env("TINY_HTTP_PORT"))}"
    end
  end

  defp http_ip do
    ip = System.get_env("TINY_HTTP_IP", "0.0.0.0")

    case :inet.parse_address(String.to_charlist(ip)) do
      {:ok, addr} -> addr
      {:error, _} -> raise ArgumentError, "TINY_HTTP_IP must be an IP address, got #{inspect(ip)}"
    end
  end
end
