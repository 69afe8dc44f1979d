/// The pages' mustache templates; `{{…}}` escapes, `{{{…}}}` is used only for SVG the chart builder made.
enum PageTemplates {
    static let layout = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        {{#refresh}}<meta http-equiv="refresh" content="{{refresh}}">{{/refresh}}
        <title>{{title}} — Rapport</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/ui/app.css"></head>
        <body><header><a class="brand" href="/ui">Rapport</a>
        {{#signedIn}}<nav>{{#environment}}<a href="/ui/environments/{{id}}">{{name}}</a><a href="/ui/environments/{{id}}/results">Results</a><a href="/ui/environments/{{id}}/segments">Segments</a><a href="/ui/environments/{{id}}/measures">Measures</a><a href="/ui/environments/{{id}}/runs">Runs</a>{{/environment}}</nav>
        <form class="inline" method="post" action="/ui/signout"><input type="hidden" name="csrf" value="{{csrf}}"><button class="secondary">Sign out</button></form>{{/signedIn}}
        </header><main>{{#notice}}<p class="notice">{{notice}}</p>{{/notice}}{{#error}}<p class="error">{{error}}</p>{{/error}}{{{content}}}</main></body></html>
        """

    static let signIn = """
        <h1>Sign in</h1>
        <form class="stack" method="post" action="/ui/signin">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="key">API key</label><input id="key" type="password" name="key" autocomplete="off" required>
        <p><button>Sign in</button></p></form>
        <p class="muted">Use a key of your tenant (rpt_…). The key stays on the server; the browser keeps only a signed session cookie.</p>
        """

    static let home = """
        <h1>{{tenantName}}</h1>
        <h2>Environments</h2>
        <table><tr><th>Name</th><th>Region</th><th>Profiles</th></tr>
        {{#environments}}<tr><td><a href="/ui/environments/{{id}}">{{name}}</a></td><td>{{region}}</td><td>{{profile}}</td></tr>{{/environments}}
        </table>
        {{^environments}}<p class="muted">You hold no role on any environment.</p>{{/environments}}
        """

    static let overview = """
        <h1>{{environmentName}} <span class="muted">({{region}})</span></h1>
        <h2>Prerequisites</h2>
        <table><tr><th>Check</th><th>Status</th><th>Detail</th><th>Remedy</th></tr>
        {{#checks}}<tr><td>{{id}}</td><td class="{{cssClass}}">{{status}}</td><td>{{detail}}</td><td>{{remedy}}</td></tr>{{/checks}}</table>
        <h2>Enrichment</h2>
        {{#configured}}<p><b>{{name}}</b>: {{mailboxes}} mailboxes, schedule {{schedule}}. <a href="/ui/environments/{{environmentID}}/configure">Change</a></p>{{/configured}}
        {{^configured}}<p>Not configured yet. <a href="/ui/environments/{{environmentID}}/configure">Configure the enrichment</a></p>{{/configured}}
        <p>Consent: <b>{{consent}}</b>{{#consentDetail}} — {{consentDetail}}{{/consentDetail}}</p>
        <p>Next scheduled run: {{nextRun}}</p>
        {{#activeRun}}<p>A run is {{status}}: <a href="/ui/environments/{{environmentID}}/runs/{{id}}">progress</a></p>{{/activeRun}}
        {{#canRun}}<form method="post" action="/ui/environments/{{environmentID}}/run"><input type="hidden" name="csrf" value="{{csrf}}"><button>Run now</button></form>{{/canRun}}
        """

    static let configure = """
        <h1>Configure the enrichment of {{environmentName}}</h1>
        {{#problems}}<div class="error"><p>{{message}}</p><ul>
        <li>Resolved addresses: {{resolvedCount}} (2 to 2,500 are needed)</li>
        {{#unknownGroups}}<li>Unknown group: {{.}}</li>{{/unknownGroups}}{{#invalidAddresses}}<li>Invalid address: {{.}}</li>{{/invalidAddresses}}
        {{#foreignAddresses}}<li>Not of your organization's domains: {{.}}</li>{{/foreignAddresses}}{{#failedChecks}}<li>Failed check: {{.}}</li>{{/failedChecks}}</ul></div>{{/problems}}
        <form class="stack" method="post" action="/ui/environments/{{environmentID}}/configure">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="addresses">Organization email addresses (one per line)</label><textarea id="addresses" name="addresses" rows="5">{{addresses}}</textarea>
        <label for="groups">Groups (one per line: name, mail or id; nested groups are included)</label><textarea id="groups" name="groups" rows="3">{{groups}}</textarea>
        <p class="muted">Currently selected: {{mailboxes}} mailboxes.</p>
        <label><input type="checkbox" name="agreed" value="true" {{#agreed}}checked{{/agreed}}> I agree that email and meeting metadata of these mailboxes is processed for aggregate insights</label>
        <label for="dataset">Customer dataset</label><select id="dataset" name="dataset"><option value="business_accounts">Business accounts</option></select>
        <label for="email_field">Contact email field</label><input id="email_field" type="text" name="email_field" value="{{emailField}}" required>
        <label for="schedule">Refresh</label><select id="schedule" name="schedule">{{#schedules}}<option value="{{value}}" {{#selected}}selected{{/selected}}>{{value}}</option>{{/schedules}}</select>
        <label for="name">Name</label><input id="name" type="text" name="name" value="{{name}}" required maxlength="200">
        <p><button>Save</button></p></form>
        """

    static let results = """
        <h1>Results of {{environmentName}}</h1>
        {{^published}}<p class="muted">No result has been published yet.</p>{{/published}}
        {{#published}}<div class="figures">
        <div class="figure"><b id="enriched-customers">{{enrichedCustomers}}</b><span>enriched customers</span></div>
        <div class="figure"><b id="emails-processed">{{emails}}</b><span>emails processed</span></div>
        <div class="figure"><b id="meetings-processed">{{meetings}}</b><span>meetings processed</span></div>
        <div class="figure"><b id="days-of-data">{{days}}</b><span>days of data</span></div></div>
        <h2>Enriched customers over time</h2>{{{chart}}}
        <h2>Enriched data</h2>
        <p><a href="/ui/environments/{{environmentID}}/results">Year</a> · <a href="?level=Month">Month</a> · <a href="?level=Week">Week</a> — showing {{level}} rows {{from}}–{{to}} of {{total}}</p>
        <div class="scroll"><table><tr><th>Name</th>{{#columns}}<th><a href="?level={{level}}&amp;sort={{name}}&amp;order={{nextOrder}}">{{name}}{{arrow}}</a></th>{{/columns}}</tr>
        {{#rows}}<tr><td>{{name}}</td><td><a href="/ui/environments/{{environmentID}}/accounts/{{accountQuery}}">{{account}}</a></td>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/rows}}</table></div>
        <p class="pager">{{#previous}}<a href="{{previous}}">Previous</a>{{/previous}}{{#next}}<a href="{{next}}">See more</a>{{/next}}</p>{{/published}}
        """

    static let card = """
        <h1>{{name}} <span class="muted">({{accountID}})</span></h1>
        <div class="figures">
        <div class="figure"><b id="engagement-score">{{score}}</b><span>EngagementScore (raw {{raw}})</span></div>
        <div class="figure"><b id="total-emails">{{totalEmails}}</b><span>emails, last year</span></div>
        <div class="figure"><b id="total-meetings">{{totalMeetings}}</b><span>meetings, last year</span></div></div>
        <h2>Why this score</h2>
        <table><tr><th>Component</th><th>Input</th><th>Contribution</th></tr>
        {{#breakdown}}<tr><td>{{name}}</td><td>{{input}}</td><td>{{contribution}}</td></tr>{{/breakdown}}</table>
        <h2>Email and meeting history</h2>{{{chart}}}
        """

    static let runs = """
        <h1>Runs of {{environmentName}}</h1>
        <table><tr><th>Run</th><th>Status</th><th>Trigger</th><th>Scheduled</th><th>Finished</th></tr>
        {{#runs}}<tr><td><a href="/ui/environments/{{environmentID}}/runs/{{id}}">{{short}}</a></td><td>{{status}}</td><td>{{trigger}}</td><td>{{scheduled}}</td><td>{{finished}}</td></tr>{{/runs}}</table>
        {{^runs}}<p class="muted">No runs yet.</p>{{/runs}}
        """

    static let progress = """
        <h1>Run {{short}} <span class="muted">{{status}}</span></h1>
        <p>Trigger {{trigger}}, scheduled {{scheduled}}, attempt {{attempts}}.{{#error}} <span class="fail">{{error}}</span>{{/error}}</p>
        {{#refreshing}}<p class="muted">This page refreshes itself while the run goes on.</p>{{/refreshing}}
        <table><tr><th>Step</th><th>State</th><th>Counts</th><th>Started</th><th>Finished</th><th>Error</th></tr>
        {{#steps}}<tr><td>{{step}}</td><td class="{{cssClass}}">{{state}}</td><td>{{counts}}</td><td>{{started}}</td><td>{{finished}}</td><td>{{error}}</td></tr>{{/steps}}</table>
        {{#readGraph}}<h2>Mailboxes read</h2>
        <p class="muted" id="coverage-summary">{{incompleteMailboxes}} of {{mailboxCount}} mailboxes do not cover the whole year.</p>
        <table><tr><th>Mailbox</th><th>Days covered</th><th>Why not all</th></tr>
        {{#mailboxes}}<tr><td>{{address}}</td><td class="{{cssClass}}">{{days}}</td><td>{{reason}}</td></tr>{{/mailboxes}}</table>{{/readGraph}}
        """

    static let segments = """
        <h1>Segments of {{environmentName}}</h1>
        <table><tr><th>Segment</th><th>Condition</th><th>Members</th></tr>
        {{#segments}}<tr><td><a href="/ui/environments/{{environmentID}}/segments/{{id}}">{{name}}</a>{{#readyMade}} <span class="muted">ready-made</span>{{/readyMade}}</td><td><code>{{expression}}</code></td><td>{{size}}</td></tr>{{/segments}}</table>
        <h2>New segment</h2>
        <form class="stack" method="post" action="/ui/environments/{{environmentID}}/segments">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="name">Name</label><input id="name" type="text" name="name" value="{{draftName}}" required maxlength="200">
        <label for="expression">Condition</label><textarea id="expression" name="expression" rows="3" required>{{draftExpression}}</textarea>
        <p class="muted">For example <code>DaysSinceLastEmail &gt; 60 AND DaysSinceLastMeeting &gt; 60</code> or <code>EngagementStartDate &lt; today - 90 days AND Domain = 'contoso.com'</code>.</p>
        <p><button>Create</button></p></form>
        """

    static let segment = """
        <h1>{{name}}</h1><p><code>{{expression}}</code></p>
        <h2>Size after each run</h2>{{{chart}}}
        <h2>Members ({{total}})</h2>
        <table><tr><th>Account</th><th>Name</th><th>EngagementScore</th><th>DaysSinceLastEmail</th><th>DaysSinceLastMeeting</th></tr>
        {{#members}}<tr><td><a href="/ui/environments/{{environmentID}}/accounts/{{accountQuery}}">{{accountID}}</a></td><td>{{name}}</td><td>{{score}}</td><td>{{email}}</td><td>{{meeting}}</td></tr>{{/members}}</table>
        <p class="pager">{{#previous}}<a href="{{previous}}">Previous</a>{{/previous}}{{#next}}<a href="{{next}}">See more</a>{{/next}}</p>
        """

    static let measures = """
        <h1>Measures of {{environmentName}}</h1>
        {{#measures}}<h2>{{name}}: <span id="measure-{{id}}">{{year}}</span></h2><p class="muted">{{function}}({{column}}) over {{scope}}</p>{{{chart}}}{{/measures}}
        {{^measures}}<p class="muted">No measures yet.</p>{{/measures}}
        <h2>New measure</h2>
        <form class="stack" method="post" action="/ui/environments/{{environmentID}}/measures">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="name">Name</label><input id="name" type="text" name="name" required maxlength="200">
        <label for="function">Function</label><select id="function" name="function">{{#functions}}<option>{{.}}</option>{{/functions}}</select>
        <label for="column">Column</label><select id="column" name="column">{{#columns}}<option>{{.}}</option>{{/columns}}</select>
        <label for="segment">Over</label><select id="segment" name="segment_id"><option value="">all accounts</option>{{#segments}}<option value="{{id}}">{{name}}</option>{{/segments}}</select>
        <p><button>Create</button></p></form>
        """

    static let message = """
        <h1>{{heading}}</h1>
        """

    static let all: [String: String] = [
        "layout": layout, "signin": signIn, "home": home, "message": message, "overview": overview, "configure": configure, "results": results,
        "card": card, "runs": runs, "progress": progress, "segments": segments, "segment": segment, "measures": measures,
    ]
}
