defmodule Tiny.HTTP do
  @moduledoc """
  A minimal HTTP/1.x responder on `:gen_tcp` (no dependencies).

    * `GET /health`  — `200 ok <version>`, or `503 broken <version>` for the broken build
    * `GET /version` — `200 <version>`
    * anything else  — 404 (unknown path) or 405 (not GET/HEAD)

  Bodies are `text/plain` without a trailing newline; every response closes
  the connection.
  """
  use GenServer
  require Logger

  @recv_timeout 5_000

  def start_link(opts), do: GenServer.start_link(__MODULE__, opts, name: __MODULE__)

  @impl true
  def init(opts) do
    listen_opts = [
      :binary,
      packet: :http_bin,
      active: false,
      reuseaddr: true,
      ip: Keyword.fetch!(opts, :ip)
    ]

    # Listening here, in init, makes a port clash fail the application start
    # (and so the release, which is started permanent) instead of looping.
    case :gen_tcp.listen(Keyword.fetch!(opts, :port), listen_opts) do
      {:ok, listen} ->
        {:ok, port} = :inet.port(listen)
        acceptor = spawn_link(fn -> accept(listen) end)
        {:ok, %{listen: listen, port: port, acceptor: acceptor}}

      {:error, reason} ->
        {:stop, {:listen, Keyword.fetch!(opts, :port), reason}}
    end
  end

  @doc "The port actually listened on (useful with TINY_HTTP_PORT=0)."
  def port, do: GenServer.call(__MODULE__, :port)

  @impl true
  def handle_call(:port, _from, state), do: {:reply, state.port, state}

  defp accept(listen) do
    case :gen_tcp.accept(listen) do
      {:ok, sock} ->
        pid = spawn(fn -> receive(do: (:go -> serve(sock))) end)
        :ok = :gen_tcp.controlling_process(sock, pid)
        send(pid, :go)
        accept(listen)

      {:error, reason} ->
        exit({:accept, reason})
    end
  end

  defp serve(sock) do
    with {:ok, {:http_request, method, {:abs_path, path}, _vsn}} <- :gen_tcp.recv(sock, 0, @recv_timeout),
         :ok <- skip_headers(sock) do
      {status, body} = route(method, path)
      body = if method == :HEAD, do: "", else: body
      :gen_tcp.send(sock, response(status, body))
    else
      _ -> :gen_tcp.send(sock, response(400, "bad request"))
    end

    :gen_tcp.close(sock)
  end

  defp skip_headers(sock) do
    case :gen_tcp.recv(sock, 0, @recv_timeout) do
      {:ok, :http_eoh} -> :ok
      {:ok, {:http_header, _, _, _, _}} -> skip_headers(sock)
      other -> {:error, other}
    end
  end

  @doc false
  def route(method, path) when method in [:GET, :HEAD] do
    case path |> String.split("?", parts: 2) |> hd() do
      "/health" ->
        case Tiny.health() do
          :ok -> {200, "ok " <> Tiny.version()}
          {:error, reason} -> {503, "#{reason} " <> Tiny.version()}
        end

      "/version" ->
        {200, Tiny.version()}

      _ ->
        {404, "not found"}
    end
  end

  def route(_method, _path), do: {405, "method not allowed"}

  defp response(status, body) do
    [
      "HTTP/1.1 ",
      Integer.to_string(status),
      " ",
      reason(status),
      "\r\ncontent-type: text/plain\r\ncontent-length: ",
      Integer.to_string(byte_size(body)),
      "\r\nconnection: close\r\n\r\n",
      body
    ]
  end

  defp reason(200), do: "OK"
  defp reason(400), do: "Bad Request"
  defp reason(404), do: "Not Found"
  defp reason(405), do: "Method Not Allowed"
  defp reason(503), do: "Service Unavailable"
end
