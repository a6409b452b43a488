using CotaFirmware.Text;

namespace CotaFirmware.Linkkit;

/// <summary>
/// The device's topics under <c>/sys/{pk}/{dn}/</c>, defined once and kept as bytes: what each publishes to, which
/// method its requests carry, what it subscribes, who handles what arrives; and the match of an incoming topic.
/// </summary>
/// <remarks>
/// A topic's handle is its index. A route has only a filter (<c>+</c> spans one level) and an <see cref="ITopicHandler"/>;
/// a request topic publishes, names its method and subscribes <c>{suffix}_reply</c>, whose unmatched replies go to an
/// <see cref="IReplyHandler"/>; a publish-only topic (an ack) has neither a filter nor a handler.
/// </remarks>
internal sealed class TopicTable
{
    private const int MaxSuffixLength = 128;

    private readonly string _prefix;
    private readonly byte[] _prefixBytes;
    private readonly byte[][] _publishTopic;
    private readonly byte[][] _method;
    private readonly byte[][] _filterSuffix;
    private readonly string[] _filter;
    private readonly ITopicHandler[] _route;
    private readonly IReplyHandler[] _unmatched;
    private int _count;

    /// <summary>An empty table of room for <paramref name="capacity"/> topics of device <paramref name="identity"/>.</summary>
    internal TopicTable(DeviceIdentity identity, int capacity)
    {
        _prefix = "/sys/" + identity.ProductKey + "/" + identity.DeviceName + "/";
        _prefixBytes = Utf8.GetBytes(_prefix);
        _publishTopic = new byte[capacity][];
        _method = new byte[capacity][];
        _filterSuffix = new byte[capacity][];
        _filter = new string[capacity];
        _route = new ITopicHandler[capacity];
        _unmatched = new IReplyHandler[capacity];
    }

    /// <summary>How many topics are defined.</summary>
    internal int Count => _count;

    /// <summary>A route on <c>{prefix}{suffix}</c>; the handle, or a negative <see cref="LinkkitStatus"/>.</summary>
    internal int AddRoute(string suffix, ITopicHandler handler)
    {
        return IsSuffix(suffix, true) ? Add(null, suffix, null, handler, null) : (int)LinkkitStatus.BadTopic;
    }

    /// <summary>A request topic whose replies arrive on <c>{suffix}_reply</c>; the handle, or a negative <see cref="LinkkitStatus"/>.</summary>
    internal int AddRequest(string suffix, string method, IReplyHandler unmatchedReplies)
    {
        if (!IsSuffix(suffix, false) || suffix.Length + 6 > MaxSuffixLength || !IsMethod(method))
        {
            return (int)LinkkitStatus.BadTopic;
        }

        return Add(suffix, suffix + "_reply", method, null, unmatchedReplies);
    }

    /// <summary>Event <paramref name="identifier"/>'s request topic (<c>thing/event/{identifier}/post</c>); the handle, or a negative <see cref="LinkkitStatus"/>.</summary>
    internal int AddEvent(string identifier)
    {
        if (!DeviceIdentity.IsText(identifier, 64, "_", false))
        {
            return (int)LinkkitStatus.BadTopic;
        }

        return AddRequest("thing/event/" + identifier + "/post", "thing.event." + identifier + ".post", null);
    }

    /// <summary>A topic only published to; the handle, or a negative <see cref="LinkkitStatus"/>.</summary>
    internal int AddPublishOnly(string suffix)
    {
        return IsSuffix(suffix, false) ? Add(suffix, null, null, null, null) : (int)LinkkitStatus.BadTopic;
    }

    /// <summary>The whole topic name <paramref name="topic"/> publishes to, as bytes; null for a route.</summary>
    internal byte[] PublishTopic(int topic) => topic >= 0 && topic < _count ? _publishTopic[topic] : null;

    /// <summary>The method of request topic <paramref name="topic"/>, as bytes; null for any other topic.</summary>
    internal byte[] Method(int topic) => topic >= 0 && topic < _count ? _method[topic] : null;

    /// <summary>The filter topic <paramref name="topic"/> subscribes; null when it subscribes none.</summary>
    internal string Filter(int topic) => _filter[topic];

    /// <summary>True when <paramref name="topic"/> is a request topic: what arrives on it is a reply.</summary>
    internal bool TakesReplies(int topic) => _method[topic] != null;

    /// <summary>The handler of route <paramref name="topic"/>; null for any other topic.</summary>
    internal ITopicHandler Route(int topic) => _route[topic];

    /// <summary>Where replies on request topic <paramref name="topic"/> that no request waits for go; null: dropped.</summary>
    internal IReplyHandler UnmatchedReplies(int topic) => _unmatched[topic];

    /// <summary>
    /// The prefix, then the topic whose filter matches the rest (<c>+</c> spans one level): a request topic's reply
    /// filter before any route, so a wildcard route never takes a request's replies; else the first route defined.
    /// </summary>
    /// <returns>The topic's handle; -1 when none matches.</returns>
    internal int Match(byte[] topic, int topicOffset, int topicCount)
    {
        byte[] prefix = _prefixBytes;
        int p = prefix.Length;
        if (topicCount <= p)
        {
            return -1;
        }

        for (int i = 0; i < p; i++)
        {
            if (topic[topicOffset + i] != prefix[i])
            {
                return -1;
            }
        }

        int restStart = topicOffset + p;
        int restEnd = topicOffset + topicCount;
        int route = -1;
        for (int e = 0; e < _count; e++)
        {
            byte[] f = _filterSuffix[e];
            if (f == null)
            {
                continue;
            }

            int fi = 0;
            int ti = restStart;
            bool match = true;
            while (fi < f.Length)
            {
                if (f[fi] == '+')
                {
                    while (ti < restEnd && topic[ti] != '/')
                    {
                        ti++;
                    }

                    fi++;
                    continue;
                }

                if (ti >= restEnd || topic[ti] != f[fi])
                {
                    match = false;
                    break;
                }

                fi++;
                ti++;
            }

            if (match && ti == restEnd)
            {
                if (_method[e] != null)
                {
                    return e;
                }

                route = route < 0 ? e : route;
            }
        }

        return route;
    }

    private int Add(string publishSuffix, string filterSuffix, string method, ITopicHandler route, IReplyHandler unmatched)
    {
        if (_count >= _publishTopic.Length)
        {
            return (int)LinkkitStatus.TooManyTopics;
        }

        string filter = filterSuffix == null ? null : _prefix + filterSuffix;
        for (int i = 0; filter != null && i < _count; i++)
        {
            if (filter == _filter[i])
            {
                return (int)LinkkitStatus.BadTopic; // defined already: the second would never see a message
            }
        }

        int e = _count;
        _publishTopic[e] = publishSuffix == null ? null : Utf8.GetBytes(_prefix + publishSuffix);
        _method[e] = method == null ? null : Utf8.GetBytes(method);
        _filterSuffix[e] = filterSuffix == null ? null : Utf8.GetBytes(filterSuffix);
        _filter[e] = filter;
        _route[e] = route;
        _unmatched[e] = unmatched;
        _count++;
        return e;
    }

    // A suffix: levels of A-Z a-z 0-9 _ - . @ : separated by single '/', no leading or trailing '/';
    // with wildcards, a level may be exactly '+'.
    private static bool IsSuffix(string text, bool wildcards)
    {
        char[] suffix = text == null ? null : text.ToCharArray();
        if (suffix == null || suffix.Length == 0 || suffix.Length > MaxSuffixLength)
        {
            return false;
        }

        int levelStart = 0;
        for (int i = 0; i <= suffix.Length; i++)
        {
            if (i == suffix.Length || suffix[i] == '/')
            {
                if (i == levelStart)
                {
                    return false;
                }

                levelStart = i + 1;
                continue;
            }

            char c = suffix[i];
            if (c == '+')
            {
                bool alone = i == levelStart && (i + 1 == suffix.Length || suffix[i + 1] == '/');
                if (!wildcards || !alone)
                {
                    return false;
                }

                continue;
            }

            if (!DeviceIdentity.IsTextChar(c, DeviceIdentity.NameMarks, false))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsMethod(string method) => DeviceIdentity.IsText(method, 128, "\"\\", true);
}
