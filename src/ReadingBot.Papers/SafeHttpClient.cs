using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using ReadingBot.Core.Inbound;

namespace ReadingBot.Papers;

/// <summary>Why a fetch produced no usable response.</summary>
public enum FetchFailure
{
    None,

    /// <summary>The connection broke or the answer was cut off: worth another attempt soon.</summary>
    Network,

    /// <summary>
    /// The host's name did not resolve or nothing accepted the connection (offline, DNS down, refused): another
    /// attempt a few seconds later would fail the same way, so callers do not retry within the request.
    /// </summary>
    Unreachable,

    /// <summary>No answer in time: try again later.</summary>
    Timeout,

    /// <summary>The body is larger than allowed.</summary>
    TooLarge,

    /// <summary>More redirects than allowed (a loop, usually).</summary>
    TooManyRedirects,

    /// <summary>The target is not allowed: not http(s), or a private or loopback address.</summary>
    Refused,

    /// <summary>The body is not of a type the caller accepts.</summary>
    WrongType,
}

/// <summary>One HTTP answer, read whole (within the byte limit), or why there is none.</summary>
public sealed record FetchResponse
{
    public FetchFailure Failure { get; init; }
    public string? Problem { get; init; }
    public HttpStatusCode Status { get; init; }
    public string? ContentType { get; init; }
    public string Body { get; init; } = "";
    public Uri? FinalUri { get; init; }
    public TimeSpan? RetryAfter { get; init; }

    public bool Ok => Failure == FetchFailure.None && (int)Status is >= 200 and < 300;

    public static FetchResponse Failed(FetchFailure failure, string problem) => new() { Failure = failure, Problem = problem };
}

/// <summary>What one fetch accepts.</summary>
/// <param name="Trusted">A configured API base URL: private addresses allowed (a local mirror). Links members paste are never trusted.</param>
/// <param name="AcceptTypes">Media types accepted (prefix match); empty accepts all.</param>
/// <param name="Accept">The Accept header sent.</param>
/// <param name="MaxBytes">The largest body read, when it is not <see cref="PaperSourcesOptions.MaxResponseBytes"/>.</param>
public sealed record FetchRules(bool Trusted, IReadOnlyList<string> AcceptTypes, string Accept = "*/*", int? MaxBytes = null);

/// <summary>
/// The only way the paper sources touch the network: bounded redirects, bounded bytes, a timeout, media-type
/// checks, and no connections to private or loopback addresses for links members paste (checked on the resolved
/// address at connect time, so DNS tricks do not get round it).
/// </summary>
public sealed class SafeHttpClient : IDisposable
{
    private static readonly HttpRequestOptionsKey<bool> TrustedKey = new("readingbot.trusted");
    private readonly PaperSourcesOptions options;
    private readonly IHostNameResolver resolver;
    private readonly HttpClient client;

    public SafeHttpClient(PaperSourcesOptions options, IHostNameResolver? resolver = null)
    {
        this.options = options;
        this.resolver = resolver ?? new SystemHostNameResolver();
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            ConnectTimeout = TimeSpan.FromSeconds(Math.Max(1, options.TimeoutSeconds)),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = ConnectAsync,
        };
        client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
    }

    public Task<FetchResponse> GetAsync(Uri uri, FetchRules rules, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, uri, rules, null, null, cancellationToken);

    /// <summary>
    /// A request with the same safety rules as <see cref="GetAsync"/>; <paramref name="content"/> makes the body anew
    /// for each hop (a 307/308 redirect resends it), <paramref name="headers"/> are added to each request.
    /// </summary>
    public async Task<FetchResponse> SendAsync(HttpMethod method, Uri uri, FetchRules rules, Func<HttpContent>? content, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        var current = uri;
        try
        {
            for (var hop = 0; ; hop++)
            {
                if (current.Scheme is not ("http" or "https"))
                {
                    return FetchResponse.Failed(FetchFailure.Refused, $"only http and https links are fetched, not {current.Scheme}:");
                }

                if (!rules.Trusted && !options.AllowPrivateAddresses && IPAddress.TryParse(current.Host.Trim('[', ']'), out var literal) && IsPrivate(literal))
                {
                    return FetchResponse.Failed(FetchFailure.Refused, "links to private or local addresses are not fetched");
                }

                using var request = new HttpRequestMessage(method, current) { Content = content?.Invoke() };
                foreach (var (name, value) in headers ?? new Dictionary<string, string>())
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                request.Options.Set(TrustedKey, rules.Trusted);
                request.Headers.Accept.ParseAdd(rules.Accept);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    if (hop >= options.MaxRedirects)
                    {
                        return FetchResponse.Failed(FetchFailure.TooManyRedirects, $"the link redirected more than {options.MaxRedirects} times");
                    }

                    if (response.Headers.Location is not { } location)
                    {
                        return FetchResponse.Failed(FetchFailure.Network, "a redirect without a target");
                    }

                    current = location.IsAbsoluteUri ? location : new Uri(current, location);
                    continue;
                }

                var contentType = response.Content.Headers.ContentType?.MediaType;
                var retryAfter = RetryAfter(response.Headers.RetryAfter, response.Headers.Date);
                if (response.IsSuccessStatusCode && rules.AcceptTypes.Count > 0
                    && !rules.AcceptTypes.Any(t => contentType is not null && contentType.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
                {
                    return FetchResponse.Failed(FetchFailure.WrongType, $"the link gives {contentType ?? "an unlabelled file"}, not {string.Join(" or ", rules.AcceptTypes)}") with { Status = response.StatusCode, ContentType = contentType, FinalUri = current };
                }

                var maxBytes = rules.MaxBytes ?? options.MaxResponseBytes;
                if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
                {
                    return FetchResponse.Failed(FetchFailure.TooLarge, $"the answer is larger than {maxBytes / 1024} KB") with { Status = response.StatusCode };
                }

                var body = await ReadBoundedAsync(response.Content, maxBytes, timeout.Token);
                if (body is null)
                {
                    return FetchResponse.Failed(FetchFailure.TooLarge, $"the answer is larger than {maxBytes / 1024} KB") with { Status = response.StatusCode };
                }

                return new FetchResponse { Status = response.StatusCode, ContentType = contentType, Body = body, FinalUri = current, RetryAfter = retryAfter };
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FetchResponse.Failed(FetchFailure.Timeout, "the source did not answer in time");
        }
        catch (HttpRequestException ex) when (ex.InnerException is PrivateAddressException)
        {
            return FetchResponse.Failed(FetchFailure.Refused, "links to private or local addresses are not fetched");
        }
        catch (HttpRequestException ex) when (Unreachable(ex, current.Host) is { } reason)
        {
            return FetchResponse.Failed(FetchFailure.Unreachable, reason);
        }
        catch (HttpRequestException ex)
        {
            return FetchResponse.Failed(FetchFailure.Network, "the source could not be reached (" + (ex.HttpRequestError == HttpRequestError.Unknown ? "network error" : ex.HttpRequestError.ToString()) + ")");
        }
        catch (IOException)
        {
            return FetchResponse.Failed(FetchFailure.Network, "the connection to the source broke");
        }
    }

    private static async Task<string?> ReadBoundedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        if (await BoundedBody.ReadAsync(stream, null, maxBytes, cancellationToken) is not { } bytes)
        {
            return null;
        }

        var charset = content.Headers.ContentType?.CharSet?.Trim('"');
        Encoding encoding;
        try
        {
            encoding = string.IsNullOrEmpty(charset) ? Encoding.UTF8 : Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            encoding = Encoding.UTF8;
        }

        return encoding.GetString(bytes);
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset? serverDate)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        // An HTTP date is read against the server's own Date header, so our clock is never needed.
        if (header?.Date is { } date && serverDate is { } now)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var trusted = context.InitialRequestMessage.Options.TryGetValue(TrustedKey, out var t) && t;
        var addresses = await resolver.ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
        if (!trusted && !options.AllowPrivateAddresses)
        {
            addresses = addresses.Where(a => !IsPrivate(a)).ToArray();
            if (addresses.Length == 0)
            {
                throw new PrivateAddressException();
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True for loopback, private, link-local, carrier-grade NAT, unspecified and multicast addresses.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10 || b[0] == 0 || b[0] >= 224
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] is >= 64 and <= 127);
        }

        var bytes = address.GetAddressBytes();
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (bytes[0] & 0xFE) == 0xFC;
    }

    // Name resolution and connection failures say what went wrong, so a member sees "could not be resolved" rather
    // than a timeout when the bot is offline.
    private static string? Unreachable(HttpRequestException ex, string host)
    {
        var socket = Inner<SocketException>(ex);
        if (ex.HttpRequestError == HttpRequestError.NameResolutionError || socket?.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain)
        {
            return $"the name {host} could not be resolved (no network or no DNS?)";
        }

        if (ex.HttpRequestError != HttpRequestError.ConnectionError && socket is null)
        {
            return null;
        }

        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"{host} refused the connection",
            SocketError.NetworkUnreachable or SocketError.NetworkDown => $"{host} could not be reached: the network is unreachable (offline?)",
            SocketError.HostUnreachable => $"{host} could not be reached: no route to the host",
            SocketError.TimedOut => null,
            null => ex.HttpRequestError == HttpRequestError.ConnectionError ? $"{host} could not be connected to" : null,
            _ => $"{host} could not be connected to ({socket.SocketErrorCode})",
        };
    }

    private static T? Inner<T>(Exception ex)
        where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }

    public void Dispose() => client.Dispose();

    private sealed class PrivateAddressException() : Exception("the address is private or local");
}

/// <summary>Looks up a host's addresses at connect time: the system resolver in production, a fake in tests.</summary>
public interface IHostNameResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The operating system's resolver (<see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>).</summary>
public sealed class SystemHostNameResolver : IHostNameResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}
