# serverless-lb: Terraform configuration for load balancer "map-lb" in project "demo-project".
# Secrets are not in this file: set the sensitive variables below from their files or environment.

terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
  }
}

variable "project" {
  description = "Google Cloud project that holds the load balancer"
  type        = string
  default     = "demo-project"
}

provider "google" {
  project = var.project
}

# external IP address of the load balancer
resource "google_compute_global_address" "map_lb_ip" {
  name         = "map-lb-ip"
  description  = "[serverless-lb:map-lb] external IP address of the load balancer"
  address_type = "EXTERNAL"
  ip_version   = "IPV4"
  labels       = {
    "serverless-lb" = "map-lb"
  }
}

# DNS authorization of example.com for the managed certificate
resource "google_certificate_manager_dns_authorization" "map_lb_dnsauth_example_com" {
  name        = "map-lb-dnsauth-example-com"
  description = "[serverless-lb:map-lb] DNS authorization of example.com for the managed certificate"
  labels      = {
    "serverless-lb" = "map-lb"
  }
  domain      = "example.com"
}

# Google-managed certificate (DNS authorization) for the HTTPS proxy
resource "google_certificate_manager_certificate" "map_lb_cert" {
  name        = "map-lb-cert"
  description = "[serverless-lb:map-lb] Google-managed certificate (DNS authorization) for the HTTPS proxy"
  labels      = {
    "serverless-lb" = "map-lb"
  }

  managed {
    domains            = ["example.com", "*.example.com"]
    dns_authorizations = [google_certificate_manager_dns_authorization.map_lb_dnsauth_example_com.id]
  }
}

# certificate map of the HTTPS proxy
resource "google_certificate_manager_certificate_map" "map_lb_certmap" {
  name        = "map-lb-certmap"
  description = "[serverless-lb:map-lb] certificate map of the HTTPS proxy"
  labels      = {
    "serverless-lb" = "map-lb"
  }
}

# certificate map entry: serves example.com
resource "google_certificate_manager_certificate_map_entry" "map_lb_certmap_map_lb_example_com" {
  name         = "map-lb-example-com"
  description  = "[serverless-lb:map-lb] certificate map entry: serves example.com"
  labels       = {
    "serverless-lb" = "map-lb"
  }
  map          = google_certificate_manager_certificate_map.map_lb_certmap.name
  certificates = [google_certificate_manager_certificate.map_lb_cert.id]
  hostname     = "example.com"
}

# certificate map entry: serves *.example.com
resource "google_certificate_manager_certificate_map_entry" "map_lb_certmap_map_lb_wildcard_example_com" {
  name         = "map-lb-wildcard-example-com"
  description  = "[serverless-lb:map-lb] certificate map entry: serves *.example.com"
  labels       = {
    "serverless-lb" = "map-lb"
  }
  map          = google_certificate_manager_certificate_map.map_lb_certmap.name
  certificates = [google_certificate_manager_certificate.map_lb_cert.id]
  hostname     = "*.example.com"
}

# certificate map entry: serves clients that send no or another server name
resource "google_certificate_manager_certificate_map_entry" "map_lb_certmap_map_lb_primary" {
  name         = "map-lb-primary"
  description  = "[serverless-lb:map-lb] certificate map entry: serves clients that send no or another server name"
  labels       = {
    "serverless-lb" = "map-lb"
  }
  map          = google_certificate_manager_certificate_map.map_lb_certmap.name
  certificates = [google_certificate_manager_certificate.map_lb_cert.id]
  matcher      = "PRIMARY"
}

# serverless NEG in europe-west1 for backend web: Cloud Run service web
resource "google_compute_region_network_endpoint_group" "map_lb_web_neg_europe_west1" {
  name                  = "map-lb-web-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:map-lb] serverless NEG in europe-west1 for backend web: Cloud Run service web"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "web"
  }
}

# backend service for backend web
resource "google_compute_backend_service" "map_lb_web_bs" {
  name                  = "map-lb-web-bs"
  description           = "[serverless-lb:map-lb] backend service for backend web"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.map_lb_web_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_url_map" "map_lb_urlmap" {
  name            = "map-lb-urlmap"
  description     = "[serverless-lb:map-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_backend_service.map_lb_web_bs.id
}

# URL map that redirects HTTP to HTTPS
resource "google_compute_url_map" "map_lb_redirect_urlmap" {
  name        = "map-lb-redirect-urlmap"
  description = "[serverless-lb:map-lb] URL map that redirects HTTP to HTTPS"

  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
}

# HTTPS proxy: terminates TLS
resource "google_compute_target_https_proxy" "map_lb_https_proxy" {
  name            = "map-lb-https-proxy"
  description     = "[serverless-lb:map-lb] HTTPS proxy: terminates TLS"
  url_map         = google_compute_url_map.map_lb_urlmap.id
  certificate_map = "//certificatemanager.googleapis.com/${google_certificate_manager_certificate_map.map_lb_certmap.id}"
  depends_on      = [
    google_certificate_manager_certificate_map_entry.map_lb_certmap_map_lb_example_com,
    google_certificate_manager_certificate_map_entry.map_lb_certmap_map_lb_wildcard_example_com,
    google_certificate_manager_certificate_map_entry.map_lb_certmap_map_lb_primary,
  ]
}

# HTTP proxy that redirects to HTTPS
resource "google_compute_target_http_proxy" "map_lb_http_proxy" {
  name        = "map-lb-http-proxy"
  description = "[serverless-lb:map-lb] HTTP proxy that redirects to HTTPS"
  url_map     = google_compute_url_map.map_lb_redirect_urlmap.id
}

# HTTPS forwarding rule on port 443
resource "google_compute_global_forwarding_rule" "map_lb_https_fr" {
  name                  = "map-lb-https-fr"
  description           = "[serverless-lb:map-lb] HTTPS forwarding rule on port 443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_global_address.map_lb_ip.id
  target                = google_compute_target_https_proxy.map_lb_https_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "map-lb"
  }
}

# HTTP (redirect) forwarding rule on port 80
resource "google_compute_global_forwarding_rule" "map_lb_http_fr" {
  name                  = "map-lb-http-fr"
  description           = "[serverless-lb:map-lb] HTTP (redirect) forwarding rule on port 80"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "80"
  ip_address            = google_compute_global_address.map_lb_ip.id
  target                = google_compute_target_http_proxy.map_lb_http_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "map-lb"
  }
}

# CNAME record of the DNS authorization of example.com in zone example-com
resource "google_dns_record_set" "_acme_challenge_example_com_" {
  name         = "_acme-challenge.example.com."
  managed_zone = "example-com"
  type         = "CNAME"
  ttl          = 300
  rrdatas      = [
    google_certificate_manager_dns_authorization.map_lb_dnsauth_example_com.dns_resource_record[0].data,
  ]
}

# A record for example.com in zone example-com
resource "google_dns_record_set" "example_com_" {
  name         = "example.com."
  managed_zone = "example-com"
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_global_address.map_lb_ip.address]
  depends_on   = [
    google_compute_global_forwarding_rule.map_lb_https_fr,
    google_compute_global_forwarding_rule.map_lb_http_fr,
  ]
}

# A record for shop.example.com in zone example-com
resource "google_dns_record_set" "shop_example_com_" {
  name         = "shop.example.com."
  managed_zone = "example-com"
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_global_address.map_lb_ip.address]
  depends_on   = [
    google_compute_global_forwarding_rule.map_lb_https_fr,
    google_compute_global_forwarding_rule.map_lb_http_fr,
  ]
}

# let allUsers invoke Cloud Run service web in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "web" {
  project    = var.project
  location   = "europe-west1"
  name       = "web"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.map_lb_https_fr,
    google_compute_global_forwarding_rule.map_lb_http_fr,
  ]
}

# Cloud Run service web (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service web in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update web --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project
