using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Security;

/// <summary>Design §4: who may call what. Allowed means neither 401 nor 403 (the rules may still refuse); a role not allowed is 403 and writes nothing.</summary>
public sealed class AuthorizationTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ApiFactory Api => fixture.Api;

    /// <summary>GET endpoints of state and history, given a world; analysts never see them.</summary>
    private static readonly Dictionary<string, Func<World, string>> Reads = new()
    {
        ["supervising organization"] = w => $"/api/v1/organizations/{w.SupervisingOrganization}",
        ["implementing organization"] = w => $"/api/v1/organizations/{w.ImplementingOrganization}",
        ["organization history"] = w => $"/api/v1/organizations/{w.ImplementingOrganization}/history",
        ["inspection"] = w => $"/api/v1/inspections/{w.Inspection}",
        ["correction order"] = w => $"/api/v1/correction-orders/{w.OpenOrder}",
        ["sending organization"] = w => $"/api/v1/sending-organizations/{w.SendingOrganization}",
    };

    public static TheoryData<string, string> WritesByRole => new(WriteEndpoints.All.SelectMany(e => Roles.All.Select(r => (e.Key, r))));

    public static TheoryData<string, string> ReadsByRole => new(Reads.Keys.SelectMany(k => Roles.All.Select(r => (k, r))));

    public static TheoryData<string> ReadKeys => new(Reads.Keys);

    public static TheoryData<string> WriteKeys => WriteEndpoints.Keys;

    [Theory]
    [MemberData(nameof(WritesByRole))]
    public async Task A_write_is_open_to_its_role_and_admin_and_403_for_every_other_role(string endpoint, string role)
    {
        var write = WriteEndpoints.Get(endpoint);
        using var client = Api.As(role);
        var before = await Api.EventCountAsync();

        var response = await client.PostJsonAsync(write.Path(fixture.World), write.Body(fixture.World));

        if (write.AllowedRoles.Contains(role))
        {
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)response.StatusCode < 500,
                $"{role} on {endpoint}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        else
        {
            await response.ExpectProblem(HttpStatusCode.Forbidden);
            Assert.Equal(before, await Api.EventCountAsync());
        }
    }

    [Theory]
    [MemberData(nameof(ReadsByRole))]
    public async Task State_and_history_are_read_by_auditors_officers_inspectors_and_admins_but_not_analysts(string read, string role)
    {
        using var client = Api.As(role);
        var response = await client.GetAsync(Reads[read](fixture.World));
        if (role == Roles.Analyst) await response.ExpectProblem(HttpStatusCode.Forbidden);
        else await response.Expect(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(ReadKeys))]
    public async Task A_read_without_a_token_is_401(string read)
    {
        using var anonymous = Api.CreateClient();
        await (await anonymous.GetAsync(Reads[read](fixture.World))).ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(WriteKeys))]
    public async Task A_write_without_a_token_is_401_and_writes_nothing(string endpoint)
    {
        var write = WriteEndpoints.Get(endpoint);
        using var anonymous = Api.CreateClient();
        var before = await Api.EventCountAsync();
        await (await anonymous.PostJsonAsync(write.Path(fixture.World), write.Body(fixture.World))).ExpectProblem(HttpStatusCode.Unauthorized);
        Assert.Equal(before, await Api.EventCountAsync());
    }

    [Theory]
    [InlineData("/api/v1/public/sanctions")]
    [InlineData("/health/live")]
    public async Task The_public_register_and_liveness_answer_without_a_token(string path)
    {
        using var anonymous = Api.CreateClient();
        await (await anonymous.GetAsync(path)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_token_for_an_unknown_role_is_403_on_writes_and_reads()
    {
        using var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.WithClaims(Api, ("sub", "tester"), ("role", "superuser")));
        var write = WriteEndpoints.Get("so.register");
        await (await client.PostJsonAsync(write.Path(fixture.World), write.Body(fixture.World))).ExpectProblem(HttpStatusCode.Forbidden);
        await (await client.GetAsync(Reads["inspection"](fixture.World))).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_signed_token_without_a_subject_is_401_not_a_server_error()
    {
        using var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.WithClaims(Api, ("role", Roles.Admin)));
        var before = await Api.EventCountAsync();
        var write = WriteEndpoints.Get("sending.register");
        await (await client.PostJsonAsync(write.Path(fixture.World), write.Body(fixture.World))).ExpectProblem(HttpStatusCode.Unauthorized);
        Assert.Equal(before, await Api.EventCountAsync());
    }
}
