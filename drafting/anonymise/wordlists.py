"""Word lists for the anonymiser: names that are also ordinary words, and words that are not names.

Data only. ``AMBIGUOUS_NAMES`` decides which name parts are replaced only when written like a name
(capitalised mid-sentence, or @-prefixed); ``NOT_NAMES`` keeps the name-detection prefilter from
sending every capitalised word of a chat to the slow NER model.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# First names and surnames that are also English words or names of well-known software. Lower case.
AMBIGUOUS_NAMES = _words(
    """
    will may mark bill rose grace hope joy faith art pat sky summer june april august dawn rich
    frank jack chase lane max ray sue guy drew gene don hunter baker cook young long brown white
    green black gray grey park stone king page rob eve ivy iris jade amber ruby crystal pearl cliff
    glen dale heath wood field hill moss marsh fox wolf bird swift victor carter miller smith mason
    porter turner walker fisher hall bell case ward bond price lord law love noble sharp strong
    power bright best sterling banks reed rivers woods wells cash penny kit ash bay brook river
    storm rain sunny honey star angel rocky happy chance sage harmony melody destiny trinity autumn
    winter spring ember haven bliss clay flint forest gale lake ridge rock west north south east
    jenkins kafka redis julia ada pascal rust go docker helm argo flux vault consul nomad envoy
    istio grafana prometheus loki tempo jaeger elastic kibana sentry heroku cassandra spark flink
    hive airflow celery django flask rails pandas apache linux debian ubuntu alpine nginx ansible
    puppet salt terraform oracle aurora athena lambda echo atlas apollo mercury venus mars jupiter
    saturn orion phoenix titan nova hermes watson chef buck sonny sandy sunday monday friday new
    jan mar jun
    an in on at to is it be by do no so up us we he me my or of as if am ok ai id ip ui ux qa
    """
)

# Lower-case parts of surnames: Pieter van Dijk, Ana de Souza. Never a name on their own.
PARTICLES = _words("van von de der den da das do dos du di del della la le al bin ibn ter")

# Capitalised words common in incident chats that are not people. The prefilter skips lines whose
# only capitalised words are these (or sentence-initial, or acronyms, or roster names).
NOT_NAMES = _words(
    """
    i i'm i'll i've i'd the a an and or but so if then than this that these those there here it
    its it's we we're we'll our us you you're your he she they them their my me mine what which
    who whom whose when where why how all any some each every both either neither no not yes ok
    okay hi hello hey thanks thank thx ty please sorry sure great good nice cool done fixed ack
    fyi btw imo tl;dr lgtm wip eta asap rip update status alert alerts alerting recovery resolved
    firing triggered paged page pager on-call oncall incident postmortem outage sev sev1 sev2 sev3
    p1 p2 p3 root cause impact timeline summary action actions item items owner lead commander
    customer customers user users team support engineering ops sre devops security data platform
    infra infrastructure backend frontend api apis db database cache queue service services
    server servers cluster node nodes pod pods deploy deployed deployment rollback rollout release
    prod production staging dev test tests ci cd build pipeline job jobs cron monday tuesday
    wednesday thursday friday saturday sunday january february march april june july august
    september october november december today yesterday tomorrow tonight morning evening night
    am pm utc gmt est pst cet eu us uk asia europe america east west north south central region
    aws gcp azure amazon google microsoft github gitlab slack zoom teams jira confluence pagerduty
    opsgenie datadog grafana prometheus kibana splunk sentry kafka redis postgres postgresql mysql
    mongo mongodb elasticsearch cassandra rabbitmq nginx envoy istio kubernetes k8s docker helm
    terraform ansible jenkins linux ubuntu debian python java go golang rust node nodejs react
    cloudflare cloudfront s3 ec2 rds dns tls ssl http https tcp udp cdn vpn lb elb alb nlb
    ok-ish looking looks checking checked found seeing seems restarting restarted rolling
    also just still yet now next first last after before since until while during because
    let let's can could should would will won't might must need needs maybe probably actually
    one two three four five six seven eight nine ten half most many much more less few
    new old same other another own right left up down in out off over under into onto via per
    is are was were be been being has have had do does did doing done get got make made
    forbidden unauthorized unavailable bad gateway timeout timed error errors warning warn
    critical crit info debug fatal exception failed failure fail success succeeded healthy
    unhealthy degraded running pending stopped started crash crashloopbackoff internal external
    client request response found conflict accepted created denied refused reset closed open
    regards best cheers dear from sent subject re fwd cc bcc kind hope everyone folks guys
    restart reboot ignore deploy redeploy rollback revert check run stop start kill drain scale
    bump retry merge push pull fix patch upgrade downgrade flush purge disable enable confirm
    note ping see try add remove delete create close wait watch look escalate verify validate
    okta auth0 twilio stripe shopify salesforce zendesk intercom segment snowflake databricks
    vercel netlify fastly akamai entra sso saml oauth ldap consul vault statuspage dynatrace
    newrelic honeycomb bigquery redshift dynamodb lambda sqs sns kinesis gke eks aks
    admin root operator sysadmin bot bots console dashboard dashboards monitor monitoring
    feb apr jul aug sep sept oct nov dec mon tue wed thu fri sat sun true false null none nil
    media omitted attachment config configs gbps mbps kbps xmx xms browsing pixel galaxy
    iphone ipad macbook thinkpad copilot chatgpt gemini responder responders participant
    participants reviewer reviewers author authors attendees
    """
)

# English function words: about a fifth of the words of an English chat, near none of a German one.
ENGLISH_FUNCTION_WORDS = _words(
    "the and is to of in it on for we i a was that this with be are not but at from have has "
    "can you my me our so if no yes just"
)

# Accounts that belong to no one: a shell prompt or home directory of these names no person.
SYSTEM_USERS = _words(
    """
    root admin administrator ubuntu debian centos fedora ec2-user core git deploy deployer
    jenkins runner builder build ci app apps www www-data nginx postgres mysql redis nobody user
    users pi vagrant docker kube system service default guest test tester dev developer ops
    shared public local example
    """
)

# Month names shortened: "Jun  2 07:04:11" is a date even in a team with a Jun.
CALENDAR_WORDS = _words("jan feb mar apr may jun jul aug sep sept oct nov dec")
